// The workshop page: starts the backend, loads the digits and starts each section (sections/,
// numbered as on the page). setup* needs no digits and runs first, so that the filter editor and
// the drawing canvas work while the digits load; init* runs once they are in state.
import '@tensorflow/tfjs';
import { BROWSER_CANDIDATES, initBackend } from '@cnnlab/backend';
import { loadMnist } from '@cnnlab/datasets';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { askedBackend, backendFacts, showBackend } from './backend-panel';
import { applyLesson, followLesson } from './lesson-url';
import { initActivations } from './sections/activations';
import { initAugmentation } from './sections/augment';
import { initData } from './sections/data';
import { setupDrawing } from './sections/drawing';
import { initFilters, setupFilters } from './sections/filters';
import { initKerasFiles } from './sections/keras';
import { setupOwnPictures } from './sections/own-pictures';
import { setupSigns } from './sections/sign';
import { initTraining } from './sections/training';
import { initTransfer } from './sections/transfer';
import { initTranslation } from './sections/translate';
import { setupVgg } from './sections/vgg';
import { state } from './state';
import { setStatus } from './status';

async function start(): Promise<void> {
  setupFilters();
  setupDrawing();
  // The lesson's settings from the URL, before any section reads its controls.
  const lesson = applyLesson();
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
  state.mnist = data;
  setStatus(
    `Ready: ${data.train.labels.length} training and ${data.test.labels.length} test digits; backend ${choice.id}.`,
  );
  initData(); // 1
  initFilters(); // 2
  initTranslation(); // 3
  initAugmentation();
  initTraining(); // 4 (5, the drawing, is set up above)
  initKerasFiles(); // 4, its Keras files
  initActivations(); // 6
  setupVgg(); // 7
  initTransfer(); // 7b, on real digits
  await setupSigns(); // 8
  await setupOwnPictures(); // 9
  followLesson();
  if (lesson.ignored.length > 0) {
    const note = document.getElementById('lesson-link-status');
    if (note) note.textContent = `This link's ${lesson.ignored.join(', ')} could not be used.`;
  }
  document.body.dataset.ready = 'true';
}

start().catch((error: unknown) => {
  setStatus(`Could not start: ${(error as Error).message}`);
  console.error(error);
});
