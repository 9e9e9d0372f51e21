/**
 * Keras files, in section 4: the network just trained downloads as `.keras` or `.h5` for
 * `keras.models.load_model`, and a Keras model dropped on the page becomes the page's network.
 */

import { subset } from '@cnnlab/datasets';
import { loadKerasModel, saveKerasModel } from '@cnnlab/models';
import { evaluate } from '@cnnlab/trainer';
import type * as tf from '@tensorflow/tfjs';
import { byId } from '../canvas';
import { announceTrained, type ModelKind, onTrained, setModel, state } from '../state';

/** What the page's sections can feed a model: 28×28 grey digits, flat or as an image. */
function kindOf(model: tf.LayersModel): ModelKind | string {
  const shape = model.inputs[0]?.shape ?? [];
  const flat = shape.length === 2 && shape[1] === 784;
  const image = shape.length === 4 && shape[1] === 28 && shape[2] === 28 && shape[3] === 1;
  const outputs = model.outputs[0]?.shape.at(-1);
  if ((!flat && !image) || outputs !== 10) {
    return `it takes ${JSON.stringify(shape)} and gives ${String(outputs)} outputs; the page's digits need [null, 28, 28, 1] or [null, 784] in and 10 out`;
  }
  return model.layers.some((layer) => layer.getClassName() === 'Conv2D') ? 'cnn' : 'dense';
}

function download(bytes: Uint8Array<ArrayBuffer>, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  // The click has handed the blob to the download; the URL can go once it has started.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function save(extension: '.keras' | '.h5'): Promise<void> {
  const status = byId('keras-status');
  if (!state.model) return;
  try {
    const name = `cnnlab-${state.modelKind}${extension}`;
    const bytes = await saveKerasModel(state.model, name);
    download(bytes, name);
    status.textContent = `Saved ${name} (${bytes.length.toLocaleString('en')} bytes). In Python: keras.models.load_model('${name}').`;
  } catch (error) {
    status.textContent = `Could not save: ${(error as Error).message}`;
  }
}

async function load(file: File): Promise<void> {
  const status = byId('keras-status');
  status.textContent = `Reading ${file.name}…`;
  let model: tf.LayersModel | undefined;
  try {
    model = await loadKerasModel(await file.arrayBuffer(), { name: file.name });
    const kind = kindOf(model);
    if (kind !== 'cnn' && kind !== 'dense')
      throw new Error(`${file.name} does not fit the page: ${kind}`);
    if (!state.mnist) throw new Error('the digits are not loaded yet');
    const testSplit = subset(
      state.mnist.test,
      Array.from({ length: 1000 }, (_, i) => i),
    );
    const result = await evaluate(model, testSplit);
    setModel(model, kind);
    model = undefined;
    enableDownloads();
    status.dataset.accuracy = String(result.accuracy);
    status.textContent = `Loaded ${file.name}: a ${kind} network of ${state.model?.layers.length} layers, ${(result.accuracy * 100).toFixed(1)}% right on 1,000 test digits. The drawing and the activations now use it.`;
    await announceTrained();
  } catch (error) {
    model?.dispose();
    delete status.dataset.accuracy;
    status.textContent = `Could not load ${file.name}: ${(error as Error).message}`;
  }
}

function enableDownloads(): void {
  byId<HTMLButtonElement>('keras-download').disabled = false;
  byId<HTMLButtonElement>('keras-download-h5').disabled = false;
}

/** Once the digits are loaded: the buttons, the file input and the drop zone. */
export function initKerasFiles(): void {
  byId('keras-download').addEventListener('click', () => void save('.keras'));
  byId('keras-download-h5').addEventListener('click', () => void save('.h5'));
  const input = byId<HTMLInputElement>('keras-file');
  input.disabled = false;
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) void load(file);
    input.value = '';
  });
  const zone = byId('keras-drop');
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    const file = event.dataTransfer?.files[0];
    if (file) void load(file);
  });
  onTrained(() => enableDownloads());
}
