import '@tensorflow/tfjs';
import { ImageDataGenerator, translate } from '@cnnlab/augment';
import { BROWSER_CANDIDATES, initBackend } from '@cnnlab/backend';
import { loadMnist, type MnistData, subset } from '@cnnlab/datasets';
import {
  conv2d,
  convolve2d,
  FILTER_NAMES,
  type FilterName,
  namedKernel,
  workshopFilterFigure,
} from '@cnnlab/kernels';
import { activationModel, cnnMnist, denseMnist } from '@cnnlab/models';
import { evaluate, predict, train } from '@cnnlab/trainer';
import {
  activationFigure,
  augmentedBatch,
  confusionMatrixChart,
  convFilters,
  filterFigure,
  imageGrid,
  kernelFigure,
  originalAndTranslated,
  trainingCurves,
} from '@cnnlab/viz';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { askedBackend, backendFacts, showBackend } from './backend-panel';
import { byId, greyToRgba, paint } from './canvas';
import type { LiveChart } from './chart';
import { showFigure, showSpec } from './figures';
import { setupSigns } from './sign';
import { setupVgg } from './vgg';

const WORKED_EXAMPLE = [
  [2, 3, 4, 2, 4],
  [0, 1, 4, 1, 1],
  [1, 1, 0, 7, 2],
  [3, 2, 3, 1, 1],
  [1, 2, 0, 2, 8],
];

const status = byId<HTMLParagraphElement>('status');
/**
 * The workshop's four hand-made kernels, as kernelFigure titles them: short titles keep the
 * panels 108 px, so the figure fits beside the filter figure (and the learned kernels).
 */
const CLASSIC_KERNELS: readonly [FilterName, string][] = [
  ['smoothing', 'Smoothing'],
  ['horizontal-edge', 'Horizontal'],
  ['vertical-edge', 'Vertical'],
  ['edge-detector', 'Edge detector'],
];

function classicKernelFigure() {
  return kernelFigure(
    CLASSIC_KERNELS.map(([name, title]) => ({ title, image: namedKernel(name) })),
    { title: 'Hand-crafted 3×3 kernels' },
  );
}

let mnist: MnistData | undefined;
let model: tf.LayersModel | undefined;
let modelKind: 'dense' | 'cnn' = 'dense';
let stopRequested = false;
let chart: LiveChart | undefined;

function digit(index: number): { data: Uint8Array; shape: [number, number] } {
  if (!mnist) throw new Error('web: the digits are not loaded yet');
  const data = mnist.test.images.data.subarray(index * 784, (index + 1) * 784);
  return { data, shape: [28, 28] };
}

// 1. Dataset browser -------------------------------------------------------------------------
function showDigits(): void {
  if (!mnist) return;
  const offset = Math.max(
    0,
    Math.min(1968, Number(byId<HTMLInputElement>('data-offset').value) || 0),
  );
  const n = 32;
  const images = {
    data: mnist.test.images.data.subarray(offset * 784, (offset + n) * 784),
    shape: [n, 28, 28],
  };
  const labels = mnist.test.labels.subarray(offset, offset + n);
  paint(byId('data-grid'), imageGrid(images, { perRow: 16, labels }));
}

// 2. Filters playground ----------------------------------------------------------------------
const kernelInputs: HTMLInputElement[] = [];

function setupFilters(): void {
  const select = byId<HTMLSelectElement>('filter-name');
  for (const name of FILTER_NAMES) {
    if (name === 'gaussian') continue; // 5×5 by default: the editor holds 3×3
    const option = document.createElement('option');
    option.value = name;
    option.textContent = name;
    option.selected = name === 'edge-detector';
    select.append(option);
  }
  const cells = byId<HTMLDivElement>('kernel-cells');
  for (let i = 0; i < 9; i++) {
    const input = document.createElement('input');
    input.type = 'number';
    input.step = 'any';
    input.id = `kernel-${i}`;
    input.setAttribute('aria-label', `Kernel row ${Math.floor(i / 3) + 1}, column ${(i % 3) + 1}`);
    input.addEventListener('input', updateFilters);
    kernelInputs.push(input);
    cells.append(input);
  }
  const input = byId<HTMLTableElement>('conv-input');
  fillTable(input, WORKED_EXAMPLE.flat(), 5, 5);
  select.addEventListener('change', loadNamedKernel);
  byId('filter-mode').addEventListener('change', updateFilters);
  byId('filter-stride').addEventListener('input', updateFilters);
  byId('filter-index').addEventListener('input', () => {
    showFilterFigure();
    updateFilters();
  });
  showFigure(byId('kernel-figure'), classicKernelFigure());
  loadNamedKernel();
}

function filterDigitIndex(): number {
  return Math.max(
    0,
    Math.min(1999, Math.round(Number(byId<HTMLInputElement>('filter-index').value) || 0)),
  );
}

/** The workshop's 2×2 figure (Original, Smoothed, Horizontal Edges, All Edges) of the digit. */
function showFilterFigure(): void {
  if (!mnist) return;
  const index = filterDigitIndex();
  showFigure(
    byId('filter-figure'),
    filterFigure(workshopFilterFigure(digit(index)), {
      title: `Test digit ${index} (a ${mnist.test.labels[index]}) through three filters`,
    }),
  );
}

function loadNamedKernel(): void {
  const name = byId<HTMLSelectElement>('filter-name').value as FilterName;
  const kernel = namedKernel(name, { size: 3 });
  kernelInputs.forEach((input, i) => {
    input.value = String(Number(kernel.data[i].toFixed(4)));
  });
  updateFilters();
}

function fillTable(
  table: HTMLTableElement,
  values: ArrayLike<number>,
  rows: number,
  cols: number,
): void {
  table.replaceChildren();
  for (let r = 0; r < rows; r++) {
    const tr = table.insertRow();
    for (let c = 0; c < cols; c++) {
      tr.insertCell().textContent = String(Number(values[r * cols + c].toFixed(2)));
    }
  }
}

function currentKernel(): number[][] {
  const values = kernelInputs.map((input) => Number(input.value) || 0);
  return [values.slice(0, 3), values.slice(3, 6), values.slice(6, 9)];
}

function filterImage(image: number[][] | { data: Uint8Array; shape: [number, number] }) {
  const kernel = currentKernel();
  const mode = byId<HTMLSelectElement>('filter-mode').value as 'valid' | 'same' | 'full';
  const stride = Math.max(
    1,
    Math.min(3, Math.round(Number(byId<HTMLInputElement>('filter-stride').value) || 1)),
  );
  if (stride === 1)
    return { out: convolve2d(image, kernel, { mode }), how: `convolve2d, '${mode}'` };
  // Strides belong to the layer view: conv2d with the kernel flipped, as convolve2d flips it.
  const padding = mode === 'full' ? 'same' : mode;
  return {
    out: conv2d(image, kernel, { padding, strides: stride, flip: true }),
    how: `conv2d, '${padding}', strides ${stride}`,
  };
}

function updateFilters(): void {
  try {
    const { out, how } = filterImage(WORKED_EXAMPLE);
    const [rows, cols] = out.shape;
    fillTable(byId('conv-output'), out.data, rows, cols);
    byId('conv-caption').textContent = `Output ${rows}×${cols} (${how})`;
    byId('conv-first').textContent = String(Number(out.data[0].toFixed(2)));
    if (mnist) {
      const original = digit(filterDigitIndex());
      paint(byId('filter-digit'), greyToRgba(original.data, 28, 28));
      const filtered = filterImage(original).out;
      const [fh, fw] = filtered.shape;
      paint(byId('filter-digit-out'), greyToRgba(filtered.data, fh, fw));
      byId('filter-out-caption').textContent =
        `Filtered by your kernel (${fh}×${fw}, black = lowest, white = highest)`;
    }
  } catch (error) {
    byId('conv-first').textContent = `error: ${(error as Error).message}`;
  }
}

// 3. Translation and augmentation -------------------------------------------------------------
let augmentSeed = 1;

/** "Moved 4 px right and 4 px up", in the words a student would use. */
function shiftTitle(dx: number, dy: number): string {
  const parts = [
    dx !== 0 ? `${Math.abs(dx)} px ${dx > 0 ? 'right' : 'left'}` : '',
    dy !== 0 ? `${Math.abs(dy)} px ${dy > 0 ? 'down' : 'up'}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? `Moved ${parts.join(' and ')}` : 'Not moved (both sliders at 0)';
}

function updateTranslation(): void {
  if (!mnist) return;
  const original = digit(0);
  const dx = Number(byId<HTMLInputElement>('shift-x').value);
  const dy = Number(byId<HTMLInputElement>('shift-y').value);
  const moved = translate(original, dx, dy);
  const container = byId('translated');
  showFigure(
    container,
    originalAndTranslated(original, moved, {
      range: [0, 255],
      title: shiftTitle(dx, dy),
    }),
  );
}

function updateAugmentation(): void {
  if (!mnist) return;
  const n = 9;
  const copies = new Uint8Array(n * 784);
  for (let i = 0; i < n; i++) copies.set(digit(0).data, i * 784);
  const shift = Number(byId<HTMLInputElement>('aug-shift').value) / 100;
  const generator = new ImageDataGenerator({
    rotationRange: Number(byId<HTMLInputElement>('aug-rotation').value),
    widthShiftRange: shift,
    heightShiftRange: shift,
  });
  const flow = generator.flow({ data: copies, shape: [n, 28, 28, 1] }, undefined, {
    batchSize: n,
    seed: augmentSeed,
    shuffle: false,
  });
  const { xs } = flow.batch(0);
  showFigure(
    byId('augmented'),
    augmentedBatch(xs, {
      range: [0, 255],
      title: `Augmented samples (turns up to ${byId<HTMLInputElement>('aug-rotation').value}°, shifts up to ${Math.round(shift * 100)}%)`,
    }),
  );
}

// 4. Training ---------------------------------------------------------------------------------
async function runTraining(): Promise<void> {
  if (!mnist) return;
  const button = byId<HTMLButtonElement>('train-button');
  button.disabled = true;
  stopRequested = false;
  const stop = byId<HTMLButtonElement>('train-stop');
  stop.disabled = false;
  const progress = byId<HTMLProgressElement>('train-progress');
  const kind = byId<HTMLSelectElement>('model-kind').value === 'cnn' ? 'cnn' : 'dense';
  const size = Math.max(
    64,
    Math.min(8000, Number(byId<HTMLInputElement>('train-size').value) || 2048),
  );
  const epochs = Math.max(
    1,
    Math.min(20, Number(byId<HTMLInputElement>('train-epochs').value) || 1),
  );
  const batchSize = kind === 'cnn' ? 64 : 128;
  const steps = epochs * Math.ceil(size / batchSize);
  let done = 0;
  let images = 0;
  try {
    // Vega and Vega-Lite load with the first training run, not with the page.
    const { LiveChart } = await import('./chart');
    chart?.finalize();
    const live = new LiveChart(byId('train-chart'));
    chart = live;
    status.textContent = `Training the ${kind} network on ${size} digits (${tf.getBackend()} backend)…`;
    byId('test-acc').textContent = '–';
    const next = kind === 'cnn' ? cnnMnist() : denseMnist();
    const digits = subset(
      mnist.train,
      Array.from({ length: size }, (_, i) => i),
    );
    const history = await train(next, digits, {
      epochs,
      batchSize,
      verbose: 0,
      backend: 'keep',
      callbacks: [
        {
          onEpochBegin: (epoch: number) => {
            byId('train-epoch').textContent = `${epoch + 1}/${epochs}`;
          },
          onBatchEnd: async (_batch: number, logs?: Record<string, number>) => {
            if (stopRequested) next.stopTraining = true;
            done++;
            images += logs?.size ?? batchSize;
            progress.value = done / steps;
            const loss = logs?.loss ?? Number.NaN;
            const acc = logs?.acc ?? logs?.accuracy ?? Number.NaN;
            byId('train-loss').textContent = loss.toFixed(4);
            byId('train-acc').textContent = acc.toFixed(4);
            live.add(done, { loss, accuracy: acc });
            live.update(); // redraws at most every 500 ms
            await tf.nextFrame();
          },
          onEpochEnd: async (_epoch: number, logs?: Record<string, number>) => {
            // val_ metrics, when there are any, then a draw at each epoch's end.
            live.add(
              done,
              Object.fromEntries(Object.entries(logs ?? {}).filter(([k]) => k.startsWith('val_'))),
            );
            await live.flush();
          },
        },
      ],
    });
    progress.value = 1;
    await live.flush();
    // fit's own time per epoch: what the backend costs, without the test-set evaluation below.
    const seconds = history.seconds.reduce((a, b) => a + b, 0);
    document.body.dataset.trainSeconds = String(seconds);
    document.body.dataset.trainImages = String(images);
    const testSplit = subset(
      mnist.test,
      Array.from({ length: 1000 }, (_, i) => i),
    );
    const result = await evaluate(next, testSplit);
    model?.dispose();
    model = next;
    modelKind = kind;
    byId('test-acc').textContent = result.accuracy.toFixed(4);
    await showResults(kind, history, result.confusionMatrix, testSplit.labels.length);
    if (kind === 'cnn') showLearnedFilters(next);
    else byId('learned').hidden = true;
    byId('act-note').textContent =
      kind === 'cnn'
        ? 'Pick a test digit and show what the three convolutions see.'
        : 'Train the CNN first.';
    status.textContent =
      `Trained the ${kind} network in ${seconds.toFixed(1)} s ` +
      `(${((seconds / Math.max(1, images)) * 1000).toFixed(2)} s per 1,000 images) ` +
      `on the ${history.backend} backend${stopRequested ? ' (stopped early)' : ''}; test accuracy ${(result.accuracy * 100).toFixed(1)}% on 1,000 digits.`;
    await predictDrawing();
  } catch (error) {
    status.textContent = `Training failed: ${(error as Error).message}`;
  } finally {
    button.disabled = false;
    stop.disabled = true;
  }
}

/** The workshop's training curves and the confusion matrix on the test digits. */
async function showResults(
  kind: string,
  history: Awaited<ReturnType<typeof train>>,
  matrix: number[][],
  n: number,
): Promise<void> {
  const results = byId('train-results');
  results.hidden = false;
  await showSpec(
    byId('train-curves'),
    trainingCurves(history.history, { batches: history.batches }),
  );
  await showSpec(
    byId('confusion'),
    confusionMatrixChart(matrix, Array.from('0123456789'), {
      trueTitle: 'True digit',
      predictedTitle: 'Predicted digit',
      title: `The ${kind} network on ${n.toLocaleString('en')} test digits`,
    }),
  );
}

/** The CNN's first-layer kernels, learned, beside the ones the workshop wrote by hand. */
function showLearnedFilters(cnn: tf.LayersModel): void {
  const first = cnn.layers.find((layer) => layer.getClassName() === 'Conv2D');
  if (!first) return;
  const weights = first.getWeights()[0];
  const kernel = { data: weights.dataSync(), shape: weights.shape };
  showFigure(byId('learned-figure'), [
    classicKernelFigure(),
    convFilters(kernel, {
      title: `Learned by the CNN: ${first.name}'s ${kernel.shape[3]} kernels`,
      scale: 14, // 42 px a kernel, 14 px a weight
    }),
  ]);
  byId('learned').hidden = false;
}

// 5. Draw a digit -----------------------------------------------------------------------------
function setupDrawing(): void {
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
    byId('prediction').textContent = model ? 'draw a digit' : 'train a model first';
    downsample();
  });
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

// 6. Activations ------------------------------------------------------------------------------
function showActivations(): void {
  const container = byId<HTMLDivElement>('act-grids');
  container.replaceChildren();
  if (!model || modelKind !== 'cnn' || !mnist) {
    byId('act-note').textContent = 'Train the CNN first (pick "CNN" above).';
    return;
  }
  const index = Math.max(0, Math.min(1999, Number(byId<HTMLInputElement>('act-index').value) || 0));
  const convs = model.layers
    .filter((layer) => layer.getClassName() === 'Conv2D')
    .map((layer) => layer.name);
  const viewer = activationModel(model, convs);
  const input = tf.tidy(() => tf.tensor(digit(index).data, [1, 28, 28, 1], 'float32').div(255));
  const outputs = viewer.predict(input);
  const list = Array.isArray(outputs) ? outputs : [outputs];
  byId('act-note').textContent = `Test digit ${index}, label ${mnist.test.labels[index]}.`;
  list.forEach((activation, i) => {
    const figure = document.createElement('figure');
    figure.className = 'svg-figure';
    const body = document.createElement('div');
    body.dataset.layer = convs[i];
    const [, h, w, c] = activation.shape;
    showFigure(
      body,
      activationFigure(
        { data: activation.dataSync(), shape: activation.shape },
        {
          layer: convs[i],
        },
      ),
    );
    const caption = document.createElement('figcaption');
    caption.textContent =
      `What ${convs[i]}'s ${c} filters see: one ${h}×${w} map each, bright yellow where a filter ` +
      `responds strongly, dark purple where it does not.` +
      (i > 0 ? ' Deeper layers see a smaller, coarser picture after each pooling.' : '');
    figure.append(body, caption);
    container.append(figure);
    activation.dispose();
  });
  input.dispose();
}

// Start ---------------------------------------------------------------------------------------
async function start(): Promise<void> {
  setupFilters();
  setupDrawing();
  // All three wasm binaries are served from the app's own wasm/ folder; tfjs takes the threaded
  // SIMD one where the page is cross-origin isolated (vite.config.ts sets the headers).
  setWasmPaths(new URL('wasm/', document.baseURI).href);
  // ?backend=wasm (or webgpu, webgl, webgl-software, cpu) tries that backend first.
  const asked = askedBackend(BROWSER_CANDIDATES.map((c) => c.id));
  const [data, choice] = await Promise.all([
    loadMnist(),
    initBackend(asked.id ? { prefer: asked.id, askedBy: `?backend=${asked.id}` } : {}),
  ]);
  showBackend(await backendFacts(choice, asked));
  mnist = data;
  byId('data-summary').textContent =
    `${data.source.description}. Showing 32 test digits with their labels.`;
  status.textContent = `Ready: ${data.train.labels.length} training and ${data.test.labels.length} test digits; backend ${choice.id}.`;
  showDigits();
  showFilterFigure();
  updateFilters();
  updateTranslation();
  updateAugmentation();
  byId('data-offset').addEventListener('input', showDigits);
  for (const id of ['shift-x', 'shift-y']) byId(id).addEventListener('input', updateTranslation);
  for (const id of ['aug-rotation', 'aug-shift'])
    byId(id).addEventListener('input', updateAugmentation);
  byId('aug-again').addEventListener('click', () => {
    augmentSeed++;
    updateAugmentation();
  });
  byId('train-button').addEventListener('click', () => void runTraining());
  byId('train-stop').addEventListener('click', () => {
    stopRequested = true;
  });
  byId('act-show').addEventListener('click', showActivations);
  setupVgg();
  await setupSigns();
  document.body.dataset.ready = 'true';
}

start().catch((error: unknown) => {
  status.textContent = `Could not start: ${(error as Error).message}`;
  console.error(error);
});
