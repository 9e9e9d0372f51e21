// 7, on real digits: the CNN learns digits 0–4, then its frozen convolutions under a new head
// learn 5–9 from a few examples each, beside the same CNN from random weights (trainer's
// transferExperiment); both test accuracies and both curves side by side.
import { type TransferExperiment, transferExperiment } from '@cnnlab/trainer';
import { transferChart } from '@cnnlab/viz';
import * as tf from '@tensorflow/tfjs';
import { byId } from '../canvas';
import { showSpec } from '../figures';
import { state } from '../state';

/** A number input's value, clamped to its own min and max (its default when empty). */
function field(id: string, fallback: number): number {
  const input = byId<HTMLInputElement>(id);
  const value = Number(input.value);
  if (!Number.isFinite(value) || input.value === '') return fallback;
  return Math.round(Math.min(Number(input.max), Math.max(Number(input.min), value)));
}

const PHASES = {
  base: 'the base on digits 0–4',
  transferred: 'the new head',
  scratch: 'from scratch',
};

async function runTransfer(): Promise<void> {
  const { mnist } = state;
  if (!mnist) return;
  const button = byId<HTMLButtonElement>('transfer-run');
  const status = byId('transfer-status');
  const progress = byId<HTMLProgressElement>('transfer-progress');
  button.disabled = true;
  progress.value = 0;
  for (const id of ['transfer-base-acc', 'transfer-acc-transferred', 'transfer-acc-scratch'])
    byId(id).textContent = '–';
  const examples = field('transfer-examples', 30);
  const epochs = field('transfer-epochs', 5);
  const baseExamples = field('transfer-base-size', 4106);
  const baseEpochs = field('transfer-base-epochs', 2);
  const before = tf.memory().numTensors;
  let result: TransferExperiment | undefined;
  try {
    status.textContent = `Training the CNN on ${baseExamples} digits 0–4 (${tf.getBackend()} backend)…`;
    await tf.nextFrame();
    result = await transferExperiment(mnist, {
      examplesPerClass: [examples],
      epochs,
      baseEpochs,
      baseExamples,
      seed: 1,
      backend: 'keep',
      onProgress: async (p) => {
        progress.value = p.done / p.total;
        status.textContent = `Training ${PHASES[p.phase]}: epoch ${p.epoch + 1} of ${p.epochs}…`;
        // Let the page draw between batches.
        await tf.nextFrame();
      },
    });
    const [run] = result.results;
    byId('transfer-base-acc').textContent = result.base.testAccuracy.toFixed(4);
    byId('transfer-acc-transferred').textContent = run.transferred.testAccuracy.toFixed(4);
    byId('transfer-acc-scratch').textContent = run.scratch.testAccuracy.toFixed(4);
    await showSpec(
      byId('transfer-chart'),
      transferChart(result.results, {
        classes: `the ${result.testImages.toLocaleString('en')} test digits 5–9`,
        chance: 0.2,
        width: 320,
      }),
    );
    byId('transfer-results').hidden = false;
    status.textContent =
      `Done in ${result.seconds.toFixed(1)} s on the ${result.backend} backend. With ${examples} examples of each digit 5–9 ` +
      `and ${epochs} epoch(s), the borrowed convolutions give ${(run.transferred.testAccuracy * 100).toFixed(1)}% against ` +
      `${(run.scratch.testAccuracy * 100).toFixed(1)}% from scratch, training ${run.transferred.trainableParams.toLocaleString('en')} weights ` +
      `instead of ${run.scratch.trainableParams.toLocaleString('en')}.`;
  } catch (error) {
    status.textContent = `Transfer failed: ${(error as Error).message}`;
  } finally {
    // Every network of the run is freed by the experiment itself.
    byId('transfer-results').dataset.leakedTensors = String(tf.memory().numTensors - before);
    button.disabled = false;
  }
}

/** Once the digits are loaded: the run button. */
export function initTransfer(): void {
  const button = byId<HTMLButtonElement>('transfer-run');
  button.disabled = false;
  button.addEventListener('click', () => void runTransfer());
}
