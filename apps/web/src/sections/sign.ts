/** Sign Language MNIST: a CSV upload, a CNN trained on it, and the webcam predictor. */
import { loadSignMnist, ROCK_PAPER_SCISSORS, type SignMnistData } from '@cnnlab/datasets';
import { cnnSignLanguage } from '@cnnlab/models';
import { predict, train } from '@cnnlab/trainer';
import { imageFigure } from '@cnnlab/viz';
import type * as tf from '@tensorflow/tfjs';
import { byId } from '../canvas';
import { showFigure } from '../figures';

let signs: SignMnistData | undefined;
let signModel: tf.LayersModel | undefined;
let classNames: string[] = [];

async function loadCsv(): Promise<void> {
  const file = byId<HTMLInputElement>('sign-file').files?.[0];
  if (!file) return;
  const summary = byId('sign-summary');
  summary.textContent = `Reading ${file.name}…`;
  try {
    const rps = byId<HTMLInputElement>('sign-rps').checked;
    signs = await loadSignMnist(
      file,
      rps ? { classes: ROCK_PAPER_SCISSORS, name: file.name } : { name: file.name },
    );
    const n = signs.labels.length;
    const shown = Math.min(32, n);
    const names = signs.classNames;
    const letters = Array.from(signs.labels.subarray(0, shown), (label) => names[label] ?? '?');
    const grid = byId('sign-grid');
    if (shown > 0) {
      const images = { data: signs.images.data.subarray(0, shown * 784), shape: [shown, 28, 28] };
      showFigure(
        grid,
        imageFigure(images, {
          titles: letters,
          columns: Math.min(shown, 8),
          scale: 3,
          range: [0, 255],
          title: `The first ${shown} images, each with its letter`,
        }),
      );
    } else grid.replaceChildren();
    summary.textContent =
      `${n} images of ${signs.classNames.length} classes (${signs.classNames.join(', ')}). ` +
      `First letters: ${letters.join(' ')}`;
    byId<HTMLButtonElement>('sign-train').disabled = n === 0;
  } catch (error) {
    summary.textContent = `Could not read ${file.name}: ${(error as Error).message}`;
  }
}

async function trainSigns(): Promise<void> {
  if (!signs) return;
  const button = byId<HTMLButtonElement>('sign-train');
  button.disabled = true;
  const result = byId('sign-acc');
  try {
    result.textContent = 'training…';
    const model = cnnSignLanguage({ classes: signs.classNames.length });
    const history = await train(model, signs, {
      epochs: 1,
      batchSize: 64,
      verbose: 0,
      backend: 'keep',
    });
    signModel?.dispose();
    signModel = model;
    classNames = signs.classNames;
    const acc = history.history.acc ?? [];
    result.textContent = `training accuracy ${(acc[acc.length - 1] ?? 0).toFixed(4)}`;
  } catch (error) {
    result.textContent = `training failed: ${(error as Error).message}`;
  } finally {
    button.disabled = false;
  }
}

/** The camera's centre square as a 28×28 grey image, every 250 ms, through the sign CNN. */
async function startCamera(): Promise<void> {
  const video = byId<HTMLVideoElement>('webcam-video');
  const out = byId('webcam-prediction');
  try {
    video.srcObject = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
    await video.play();
  } catch (error) {
    out.textContent = `no camera: ${(error as Error).message}`;
    return;
  }
  const small = byId<HTMLCanvasElement>('webcam-small');
  const context = small.getContext('2d', { willReadFrequently: true });
  if (!context) return;
  const tick = async () => {
    const side = Math.min(video.videoWidth, video.videoHeight);
    if (side > 0) {
      context.drawImage(
        video,
        (video.videoWidth - side) / 2,
        (video.videoHeight - side) / 2,
        side,
        side,
        0,
        0,
        28,
        28,
      );
      const rgba = context.getImageData(0, 0, 28, 28).data;
      const grey = new Uint8Array(784);
      for (let i = 0; i < 784; i++)
        grey[i] = Math.round(
          0.299 * rgba[i * 4] + 0.587 * rgba[i * 4 + 1] + 0.114 * rgba[i * 4 + 2],
        );
      const shown = new ImageData(28, 28);
      for (let i = 0; i < 784; i++) shown.data.fill(grey[i], i * 4, i * 4 + 3);
      for (let i = 0; i < 784; i++) shown.data[i * 4 + 3] = 255;
      context.putImageData(shown, 0, 0);
      if (signModel) {
        const [result] = await predict(signModel, { data: grey, shape: [1, 28, 28] });
        const name = classNames[result.class] ?? String(result.class);
        const meaning =
          classNames.length === 3 ? ` (${['rock', 'paper', 'scissors'][result.class]})` : '';
        out.textContent = `${name}${meaning}, ${(result.probability * 100).toFixed(0)}%`;
      } else {
        out.textContent = 'train the sign CNN first';
      }
    }
    setTimeout(() => void tick(), 250);
  };
  void tick();
}

export async function setupSigns(): Promise<void> {
  byId('sign-file').addEventListener('change', () => void loadCsv());
  byId('sign-rps').addEventListener('change', () => void loadCsv());
  byId('sign-train').addEventListener('click', () => void trainSigns());
  const devices = (await navigator.mediaDevices?.enumerateDevices?.().catch(() => [])) ?? [];
  if (devices.some((device) => device.kind === 'videoinput')) {
    byId('webcam').hidden = false;
    byId('webcam-start').addEventListener('click', () => void startCamera());
  }
}
