// 5. Draw a digit: strokes on a canvas, brought to 28×28 as MNIST prepares its digits, and the
// trained network's three likeliest classes.
import { predict } from '@cnnlab/trainer';
import { byId } from '../canvas';
import { onTrained, state } from '../state';

/** Before the digits load: the canvas, its pen and its clear button; predicts after training. */
export function setupDrawing(): void {
  const canvas = byId<HTMLCanvasElement>('draw');
  const context = canvas.getContext('2d');
  if (!context) return;
  const clear = () => {
    context.fillStyle = '#000';
    context.fillRect(0, 0, canvas.width, canvas.height);
  };
  clear();
  context.strokeStyle = '#fff';
  context.lineWidth = 20;
  context.lineCap = 'round';
  context.lineJoin = 'round';
  let drawing = false;
  const point = (event: PointerEvent): [number, number] => {
    const box = canvas.getBoundingClientRect();
    return [
      ((event.clientX - box.left) / box.width) * canvas.width,
      ((event.clientY - box.top) / box.height) * canvas.height,
    ];
  };
  canvas.addEventListener('pointerdown', (event) => {
    drawing = true;
    const [x, y] = point(event);
    context.beginPath();
    context.moveTo(x, y);
    context.lineTo(x, y);
    context.stroke();
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!drawing) return;
    const [x, y] = point(event);
    context.lineTo(x, y);
    context.stroke();
    void predictDrawing();
  });
  const stop = () => {
    if (!drawing) return;
    drawing = false;
    void predictDrawing();
  };
  canvas.addEventListener('pointerup', stop);
  canvas.addEventListener('pointerleave', stop);
  downsample();
  byId('draw-clear').addEventListener('click', () => {
    clear();
    byId('prediction').textContent = state.model ? 'draw a digit' : 'train a model first';
    downsample();
  });
  // A drawing already on the canvas is predicted again by each newly trained network.
  onTrained(() => predictDrawing());
}

/** The drawing as MNIST prepares digits: the strokes' box scaled into 20×20, centred in 28×28. */
function downsample(): Uint8Array | undefined {
  const canvas = byId<HTMLCanvasElement>('draw');
  const big = canvas.getContext('2d', { willReadFrequently: true });
  const small = byId<HTMLCanvasElement>('draw-small').getContext('2d', {
    willReadFrequently: true,
  });
  if (!big || !small) return undefined;
  const pixels = big.getImageData(0, 0, canvas.width, canvas.height).data;
  let [top, left, bottom, right] = [canvas.height, canvas.width, -1, -1];
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < canvas.width; x++) {
      if (pixels[(y * canvas.width + x) * 4] > 32) {
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
        left = Math.min(left, x);
        right = Math.max(right, x);
      }
    }
  }
  small.fillStyle = '#000';
  small.fillRect(0, 0, 28, 28);
  if (bottom < 0) return undefined;
  const side = Math.max(bottom - top + 1, right - left + 1);
  const scale = 20 / side;
  const w = (right - left + 1) * scale;
  const h = (bottom - top + 1) * scale;
  small.imageSmoothingEnabled = true;
  small.imageSmoothingQuality = 'high';
  small.drawImage(
    canvas,
    left,
    top,
    right - left + 1,
    bottom - top + 1,
    (28 - w) / 2,
    (28 - h) / 2,
    w,
    h,
  );
  const rgba = small.getImageData(0, 0, 28, 28).data;
  const grey = new Uint8Array(784);
  for (let i = 0; i < 784; i++) grey[i] = rgba[i * 4];
  return grey;
}

let predicting = false;
async function predictDrawing(): Promise<void> {
  const grey = downsample();
  const { model } = state;
  if (!model || !grey || predicting) return;
  predicting = true;
  try {
    const [result] = await predict(model, { data: grey, shape: [1, 28, 28] }, { topK: 3 });
    const others = result.topK
      .slice(1)
      .map((c) => `${c.class} ${(c.probability * 100).toFixed(0)}%`)
      .join(', ');
    byId('prediction').textContent =
      `${result.class} (${(result.probability * 100).toFixed(0)}%; then ${others})`;
  } finally {
    predicting = false;
  }
}
