/**
 * bench.html: seconds per 1,000 training images of the workshop CNN (batch 64, rmsprop) on the
 * backend initBackend chooses here, or the one `?backend=` names; `?steps=` timed steps after
 * `?warmup=` untimed ones. bench/browser.bench.mjs reads the JSON this leaves in #bench-json.
 */
import '@tensorflow/tfjs';
import { BROWSER_CANDIDATES, initBackend } from '@cnnlab/backend';
import { cnnMnist } from '@cnnlab/models';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { askedBackend, backendFacts, backendSummary, showBackend } from './backend-panel';
import { byId } from './canvas';

const BATCH = 64;

function count(name: string, fallback: number, min: number): number {
  const value = Number(new URLSearchParams(location.search).get(name) ?? fallback);
  return Number.isInteger(value) && value >= min ? value : fallback;
}

async function measure(): Promise<void> {
  const steps = count('steps', 20, 1);
  const warmup = count('warmup', 2, 0);
  setWasmPaths(new URL('wasm/', document.baseURI).href);
  const asked = askedBackend(BROWSER_CANDIDATES.map((c) => c.id));
  const choice = await initBackend(
    asked.id ? { prefer: asked.id, askedBy: `?backend=${asked.id}` } : {},
  );
  const facts = await backendFacts(choice, asked);
  showBackend(facts);
  const status = byId('status');
  status.textContent = `Measuring ${steps} CNN training steps on ${choice.id}…`;

  const model = cnnMnist({ seed: 1 });
  model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy' });
  const xs = tf.randomUniform([BATCH, 28, 28, 1], 0, 1, 'float32', 1);
  const ys = tf.tidy(() => tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32', 2), 10));
  // Warm-up: shaders compiled, XNNPACK operators and buffers made.
  for (let i = 0; i < warmup; i++) await model.trainOnBatch(xs, ys);
  const start = performance.now();
  for (let i = 0; i < steps; i++) await model.trainOnBatch(xs, ys);
  const seconds = (performance.now() - start) / 1000;
  tf.dispose([xs, ys]);
  model.dispose();

  const result = {
    id: choice.id,
    backend: choice.backend,
    reason: choice.reason,
    crossOriginIsolated: facts.isolated,
    threadedBuild: facts.threadedBuild ?? null,
    threads: facts.threads ?? null,
    summary: backendSummary(facts),
    hardwareConcurrency: navigator.hardwareConcurrency,
    steps,
    warmup,
    batchSize: BATCH,
    secondsPer1k: (seconds / (steps * BATCH)) * 1000,
  };
  byId('bench-summary').textContent =
    `${result.secondsPer1k.toFixed(3)} s per 1,000 training images on ${backendSummary(facts)}, ` +
    `over ${steps} steps of ${BATCH} after ${warmup} warm-up steps.`;
  byId('bench-json').textContent = JSON.stringify(result);
  status.textContent = 'Done.';
  document.body.dataset.done = 'true';
}

measure().catch((error: unknown) => {
  byId('status').textContent = `The benchmark failed: ${(error as Error).message}`;
  byId('bench-json').textContent = JSON.stringify({ error: (error as Error).message });
  document.body.dataset.done = 'error';
  console.error(error);
});
