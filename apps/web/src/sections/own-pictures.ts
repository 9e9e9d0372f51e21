// 9. Your own pictures, as in Teachable Machine: named classes, a held button records the
// camera's centre square into one of them (or a folder upload fills them), the workshop CNN
// trains on them with augmentation, and predicts live with a bar per class. The pictures
// download as a zip of class folders that `cnnlab train --images` reads.
import { ImageDataGenerator } from '@cnnlab/augment';
import {
  decodeImage,
  type ImageFile,
  imageDatasetFromFiles,
  resizeImage,
  toColorMode,
} from '@cnnlab/datasets';
import { cnnMnist } from '@cnnlab/models';
import { predict, train } from '@cnnlab/trainer';
import * as tf from '@tensorflow/tfjs';
import { centreSquareRgb, rgbToImageData } from '../camera-frame';
import { byId } from '../canvas';
import { picturesZip, ZIP_FOLDER } from '../pictures-zip';
import {
  badClassName,
  CAPTURE_SIZE,
  MAX_CLASSES,
  MAX_PICTURES,
  PICTURE_BYTES,
  RecordedClasses,
  resizeTo,
} from '../recorded-classes';

/** Pictures a second while a record button is held. */
const RECORD_FPS = 10;
/** The last pictures of a class shown beside its count. */
const THUMBS = 8;
const THUMB_SIDE = 32;

const recorded = new RecordedClasses(['rock', 'paper', 'scissors']);
let stream: MediaStream | undefined;
/** The camera's latest centre square at CAPTURE_SIZE, what a record button stores. */
let latest: Uint8Array | null = null;
let recordingClass = -1;
let recordTimer: ReturnType<typeof setInterval> | undefined;
let trained: { model: tf.LayersModel; classNames: string[]; size: number } | undefined;
let predicting = false;
let training = false;

// ---- the classes ----------------------------------------------------------------------------

function renderClasses(): void {
  const list = byId('own-classes');
  list.replaceChildren();
  recorded.classes.forEach((entry, i) => {
    const row = document.createElement('div');
    row.className = 'own-class';
    row.dataset.index = String(i);
    const name = document.createElement('input');
    name.className = 'own-name';
    name.id = `own-name-${i}`;
    name.value = entry.name;
    name.setAttribute('aria-label', `Name of class ${i + 1}`);
    name.addEventListener('input', () => {
      entry.name = name.value;
      updateButtons();
    });
    const record = document.createElement('button');
    record.type = 'button';
    record.className = 'own-record';
    record.id = `own-record-${i}`;
    record.textContent = 'Hold to record';
    record.disabled = !stream;
    record.title = stream
      ? 'Hold the mouse button (or Space) down to record'
      : 'Start the camera first';
    holdToRecord(record, i);
    const count = document.createElement('output');
    count.className = 'own-count';
    count.id = `own-count-${i}`;
    count.dataset.testid = `own-count-${i}`;
    const thumbs = document.createElement('canvas');
    thumbs.className = 'own-thumbs';
    thumbs.id = `own-thumbs-${i}`;
    thumbs.width = THUMBS * THUMB_SIDE;
    thumbs.height = THUMB_SIDE;
    thumbs.setAttribute('aria-label', `The last pictures of class ${i + 1}`);
    const clear = document.createElement('button');
    clear.type = 'button';
    clear.textContent = 'Clear';
    clear.setAttribute('aria-label', `Clear the pictures of class ${i + 1}`);
    clear.addEventListener('click', () => {
      entry.pictures.length = 0;
      showCount(i);
    });
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = 'Remove';
    remove.setAttribute('aria-label', `Remove class ${i + 1}`);
    remove.addEventListener('click', () => {
      recorded.remove(i);
      renderClasses();
    });
    row.append(name, record, count, thumbs, clear, remove);
    list.append(row);
    showCount(i);
  });
  byId<HTMLButtonElement>('own-add-class').disabled = recorded.classes.length >= MAX_CLASSES;
  updateButtons();
}

function showCount(i: number): void {
  const { pictures } = recorded.classes[i];
  const count = byId(`own-count-${i}`);
  count.textContent = `${pictures.length}${pictures.length >= MAX_PICTURES ? ' (full)' : ''} picture${pictures.length === 1 ? '' : 's'}`;
  count.dataset.count = String(pictures.length);
  const canvas = byId<HTMLCanvasElement>(`own-thumbs-${i}`);
  const context = canvas.getContext('2d');
  if (!context) return;
  context.clearRect(0, 0, canvas.width, canvas.height);
  const last = pictures.slice(-THUMBS);
  const full = document.createElement('canvas');
  full.width = CAPTURE_SIZE;
  full.height = CAPTURE_SIZE;
  const fullContext = full.getContext('2d');
  last.forEach((picture, k) => {
    fullContext?.putImageData(rgbToImageData(picture, CAPTURE_SIZE), 0, 0);
    context.drawImage(full, k * THUMB_SIDE, 0, THUMB_SIDE, THUMB_SIDE);
  });
  updateButtons();
}

function updateButtons(): void {
  const problem = recorded.problem();
  const trainButton = byId<HTMLButtonElement>('own-train');
  trainButton.disabled = training || problem !== null;
  trainButton.title = problem ?? '';
  byId('own-train-hint').textContent = training ? '' : (problem ?? 'Ready to train.');
  byId<HTMLButtonElement>('own-download').disabled = recorded.problem(1) !== null;
}

// ---- the camera and recording ---------------------------------------------------------------

function holdToRecord(button: HTMLButtonElement, i: number): void {
  button.addEventListener('pointerdown', (event) => {
    button.setPointerCapture(event.pointerId);
    startRecording(i);
  });
  for (const type of ['pointerup', 'pointercancel', 'lostpointercapture', 'blur'])
    button.addEventListener(type, stopRecording);
  button.addEventListener('keydown', (event) => {
    if ((event.key === ' ' || event.key === 'Enter') && !event.repeat) {
      event.preventDefault();
      startRecording(i);
    }
  });
  button.addEventListener('keyup', (event) => {
    if (event.key === ' ' || event.key === 'Enter') stopRecording();
  });
}

function startRecording(i: number): void {
  if (!stream || recordingClass >= 0) return;
  recordingClass = i;
  byId(`own-record-${i}`).classList.add('recording');
  const grab = () => {
    if (!latest || recordingClass < 0) return;
    if (!recorded.addPicture(recordingClass, latest.slice())) {
      stopRecording();
      byId('own-files-status').textContent =
        `"${recorded.classes[i].name}" is full (${MAX_PICTURES} pictures); clear it to record again.`;
    }
    showCount(i);
  };
  grab();
  recordTimer = setInterval(grab, 1000 / RECORD_FPS);
}

function stopRecording(): void {
  if (recordTimer !== undefined) clearInterval(recordTimer);
  recordTimer = undefined;
  if (recordingClass >= 0)
    document.getElementById(`own-record-${recordingClass}`)?.classList.remove('recording');
  recordingClass = -1;
}

function noCamera(why: string): void {
  byId('own-camera-status').textContent =
    `No camera here (${why}). Upload a folder of pictures instead: one subfolder a class, as the zip below holds them.`;
  byId('own-section').dataset.camera = 'none';
}

async function startCamera(): Promise<void> {
  const button = byId<HTMLButtonElement>('own-camera');
  button.disabled = true;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: { width: { ideal: 320 }, height: { ideal: 240 } },
      audio: false,
    });
  } catch (error) {
    noCamera((error as Error).message || (error as Error).name);
    button.disabled = false;
    return;
  }
  const video = byId<HTMLVideoElement>('own-video');
  video.srcObject = stream;
  video.hidden = false;
  await video.play();
  byId('own-camera-status').textContent =
    "Camera on. Hold a class's button to record what the camera shows (the square in the middle).";
  byId('own-section').dataset.camera = 'on';
  renderClasses();
  const preview = byId<HTMLCanvasElement>('own-preview');
  const scratch = document.createElement('canvas');
  const tick = () => {
    if (!stream) return;
    const rgb = centreSquareRgb(video, CAPTURE_SIZE, scratch);
    if (rgb) {
      latest = rgb;
      preview.getContext('2d')?.putImageData(rgbToImageData(rgb, CAPTURE_SIZE), 0, 0);
      if (trained && !predicting && !training) void showPrediction(rgb);
    }
    setTimeout(tick, 100);
  };
  tick();
}

// ---- folder upload and the zip ----------------------------------------------------------------

const PICTURE = /\.(png|jpe?g)$/i;

/**
 * `<input webkitdirectory>`'s files into the classes: a chosen folder of class folders adds to
 * the classes named like them; a chosen folder of pictures only is one class, named after it.
 */
async function uploadFolder(files: File[]): Promise<void> {
  const status = byId('own-files-status');
  const pictures = files.filter((f) => {
    const path = f.webkitRelativePath || f.name;
    return PICTURE.test(path) && !path.split('/').some((part) => part.startsWith('.'));
  });
  if (pictures.length === 0) {
    status.textContent = `No PNG or JPEG pictures in the ${files.length} file(s) chosen; expected a folder with one subfolder of pictures a class.`;
    return;
  }
  const parts = (f: File) => (f.webkitRelativePath || f.name).split('/');
  const nested = pictures.some((f) => parts(f).length > 2);
  const byClass = new Map<string, ImageFile[]>();
  for (const f of pictures) {
    const p = parts(f);
    // root/class/…/x.png → class; root/x.png (a folder of one class) → root.
    const name = nested ? p[1] : p.length > 1 ? p[0] : 'uploaded';
    if (nested && p.length < 3) continue; // loose pictures beside the class folders, as Keras ignores
    const rest = nested ? p.slice(2).join('/') : p[p.length - 1];
    const list = byClass.get(name) ?? [];
    list.push({ path: rest, data: f, size: f.size });
    byClass.set(name, list);
  }
  const added: string[] = [];
  const cut: string[] = [];
  try {
    for (const [name, list] of byClass) {
      const bad = badClassName(name);
      if (bad) throw new Error(`folder ${bad}`);
      const index = recorded.indexOf(name);
      const room = MAX_PICTURES - recorded.classes[index].pictures.length;
      list.sort((a, b) => (a.path < b.path ? -1 : 1));
      if (list.length > room) cut.push(`${name} kept ${room} of ${list.length}`);
      const take = list.slice(0, Math.max(0, room));
      if (take.length === 0) continue;
      status.textContent = `Reading ${take.length} pictures of ${name}…`;
      const set = await imageDatasetFromFiles(take, {
        labelMode: null,
        imageSize: [CAPTURE_SIZE, CAPTURE_SIZE],
        colorMode: 'rgb',
        cropToAspectRatio: true,
        shuffle: false,
      });
      for (let k = 0; k < take.length; k++)
        recorded.addPicture(
          index,
          set.images.data.slice(k * PICTURE_BYTES, (k + 1) * PICTURE_BYTES),
        );
      added.push(`${take.length} ${name}`);
    }
    status.textContent = `Added ${added.join(', ')}${cut.length ? ` (at most ${MAX_PICTURES} a class: ${cut.join(', ')})` : ''}.`;
  } catch (error) {
    status.textContent = `Could not read the folder: ${(error as Error).message}`;
  }
  renderClasses();
}

async function downloadZip(): Promise<void> {
  const problem = recorded.problem(1);
  const status = byId('own-files-status');
  if (problem) {
    status.textContent = `Nothing to download: ${problem}.`;
    return;
  }
  const button = byId<HTMLButtonElement>('own-download');
  button.disabled = true;
  try {
    const zip = await picturesZip(recorded.classes, (done, total) => {
      status.textContent = `Writing picture ${done} of ${total}…`;
    });
    const url = URL.createObjectURL(
      new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }),
    );
    const link = document.createElement('a');
    link.href = url;
    link.download = `${ZIP_FOLDER}.zip`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    status.textContent = `${ZIP_FOLDER}.zip: ${recorded.classes.map((c) => `${c.name}/ ${c.pictures.length}`).join(', ')} PNGs of ${CAPTURE_SIZE}×${CAPTURE_SIZE}. Unzip it and train on the folder: cnnlab train --images ${ZIP_FOLDER} --out my-model`;
  } catch (error) {
    status.textContent = `Could not write the zip: ${(error as Error).message}`;
  } finally {
    updateButtons();
  }
}

// ---- training and prediction ------------------------------------------------------------------

function numberField(id: string, fallback: number): number {
  const input = byId<HTMLInputElement>(id);
  const value = Math.round(Number(input.value));
  if (input.value === '' || !Number.isFinite(value)) return fallback;
  return Math.min(Number(input.max), Math.max(Number(input.min), value));
}

async function trainOwn(): Promise<void> {
  const status = byId('own-train-status');
  const progress = byId<HTMLProgressElement>('own-progress');
  const size = Number(byId<HTMLSelectElement>('own-size').value);
  const epochs = numberField('own-epochs', 15);
  const augment = byId<HTMLInputElement>('own-augment').checked;
  training = true;
  updateButtons();
  progress.value = 0;
  delete byId('own-section').dataset.accuracy;
  try {
    const split = recorded.split(size);
    const k = split.classNames.length;
    const model = cnnMnist({ inputShape: [size, size, 3], classes: k, seed: 1, name: 'own_cnn' });
    const data = augment
      ? new ImageDataGenerator({
          rotationRange: 15,
          widthShiftRange: 0.1,
          heightShiftRange: 0.1,
          zoomRange: 0.1,
          horizontalFlip: true,
          rescale: 1 / 255,
        }).flow(split.train.images, split.train.labels, { batchSize: 16, numClasses: k, seed: 1 })
      : split.train;
    const where = split.classNames
      .map((name, c) => `${name} ${split.trainCounts[c]}+${split.testCounts[c]}`)
      .join(', ');
    status.textContent = `Training on ${split.train.labels.length} pictures, ${split.test.labels.length} held out (${where}), ${size}×${size}, ${tf.getBackend()} backend…`;
    const started = performance.now();
    await train(model, data, {
      epochs,
      batchSize: 16,
      validationData: split.test,
      verbose: 0,
      backend: 'keep',
      seed: 1,
      callbacks: [
        {
          onBatchEnd: async () => {
            await tf.nextFrame();
          },
          onEpochEnd: async (epoch: number, logs?: Record<string, number>) => {
            progress.value = (epoch + 1) / epochs;
            const acc = logs?.acc ?? logs?.accuracy ?? Number.NaN;
            const valAcc = logs?.val_acc ?? logs?.val_accuracy ?? Number.NaN;
            status.textContent = `Epoch ${epoch + 1} of ${epochs}: training accuracy ${(acc * 100).toFixed(0)}%, held out ${(valAcc * 100).toFixed(0)}%`;
            await tf.nextFrame();
          },
        },
      ],
    });
    const predictions = await predict(model, split.test.images, { topK: 1 });
    const right = new Array<number>(k).fill(0);
    predictions.forEach((p, i) => {
      if (p.class === split.test.labels[i]) right[split.test.labels[i]]++;
    });
    const correct = right.reduce((a, b) => a + b, 0);
    const accuracy = correct / predictions.length;
    trained?.model.dispose();
    trained = { model, classNames: split.classNames, size };
    byId('own-section').dataset.accuracy = String(accuracy);
    status.textContent =
      `Trained in ${((performance.now() - started) / 1000).toFixed(1)} s. On the ${predictions.length} held-out pictures: ${(accuracy * 100).toFixed(0)}% right (` +
      split.classNames
        .map((name, c) => `${name} ${right[c]} of ${split.testCounts[c]}`)
        .join(', ') +
      `). ${stream ? 'Show the camera something: the bars below are live.' : 'Try a picture below.'}`;
    renderBars(new Array<number>(k).fill(0));
  } catch (error) {
    status.textContent = `Training failed: ${(error as Error).message}`;
  } finally {
    training = false;
    progress.value = 1;
    updateButtons();
  }
}

/** One bar per class, each with its probability written beside it. */
function renderBars(probabilities: number[]): void {
  if (!trained) return;
  const bars = byId('own-bars');
  const { classNames } = trained;
  if (bars.childElementCount !== classNames.length) {
    bars.replaceChildren();
    classNames.forEach((name, c) => {
      const row = document.createElement('div');
      row.className = 'own-bar';
      row.dataset.testid = `own-bar-${c}`;
      const label = document.createElement('label');
      label.htmlFor = `own-bar-value-${c}`;
      label.textContent = name;
      const meter = document.createElement('progress');
      meter.id = `own-bar-value-${c}`;
      meter.max = 1;
      const text = document.createElement('output');
      row.append(label, meter, text);
      bars.append(row);
    });
  }
  const best = probabilities.indexOf(Math.max(...probabilities));
  [...bars.children].forEach((row, c) => {
    const p = probabilities[c] ?? 0;
    (row as HTMLElement).dataset.probability = String(p);
    row.classList.toggle('best', c === best && p > 0);
    (row.querySelector('progress') as HTMLProgressElement).value = p;
    (row.querySelector('output') as HTMLOutputElement).textContent = `${(p * 100).toFixed(0)}%`;
  });
}

/** The trained network's probabilities for one picture stored at CAPTURE_SIZE. */
async function showPrediction(rgb: Uint8Array): Promise<void> {
  if (!trained) return;
  predicting = true;
  try {
    const { model, classNames, size } = trained;
    const [result] = await predict(
      model,
      { data: resizeTo(rgb, size), shape: [1, size, size, 3] },
      { topK: classNames.length },
    );
    const probabilities = new Array<number>(classNames.length).fill(0);
    for (const { class: c, probability } of result.topK) probabilities[c] = probability;
    renderBars(probabilities);
    byId('own-prediction').textContent =
      `${classNames[result.class]}, ${(result.probability * 100).toFixed(0)}%`;
  } finally {
    predicting = false;
  }
}

async function tryPicture(file: File): Promise<void> {
  const out = byId('own-prediction');
  if (!trained) {
    out.textContent = 'train the network first';
    return;
  }
  try {
    const decoded = toColorMode(
      decodeImage(new Uint8Array(await file.arrayBuffer()), { name: file.name }),
      'rgb',
    );
    // The centre square, as the camera and the folder upload store pictures.
    const square = resizeImage(decoded, [CAPTURE_SIZE, CAPTURE_SIZE], { cropToAspectRatio: true });
    const rgb = square.data as Uint8Array;
    byId<HTMLCanvasElement>('own-preview')
      .getContext('2d')
      ?.putImageData(rgbToImageData(rgb, CAPTURE_SIZE), 0, 0);
    await showPrediction(rgb);
  } catch (error) {
    out.textContent = `Could not read ${file.name}: ${(error as Error).message}`;
  }
}

export async function setupOwnPictures(): Promise<void> {
  renderClasses();
  byId('own-add-class').addEventListener('click', () => {
    recorded.add(`class ${recorded.classes.length + 1}`);
    renderClasses();
  });
  const folder = byId<HTMLInputElement>('own-folder');
  folder.addEventListener('change', () => {
    const files = [...(folder.files ?? [])];
    folder.value = '';
    if (files.length > 0) void uploadFolder(files);
  });
  byId('own-download').addEventListener('click', () => void downloadZip());
  byId('own-train').addEventListener('click', () => void trainOwn());
  const tryInput = byId<HTMLInputElement>('own-try');
  tryInput.addEventListener('change', () => {
    const file = tryInput.files?.[0];
    tryInput.value = '';
    if (file) void tryPicture(file);
  });
  const camera = byId<HTMLButtonElement>('own-camera');
  if (!navigator.mediaDevices?.getUserMedia) {
    camera.disabled = true;
    noCamera('this browser gives the page no camera; it needs https or localhost');
    return;
  }
  const devices = await navigator.mediaDevices.enumerateDevices().catch(() => []);
  if (!devices.some((device) => device.kind === 'videoinput')) {
    camera.disabled = true;
    noCamera('no video input device found');
    return;
  }
  camera.addEventListener('click', () => void startCamera());
  byId('own-camera-status').textContent =
    'Start the camera to record pictures, or upload a folder.';
}
