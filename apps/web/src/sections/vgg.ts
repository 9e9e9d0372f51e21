/** VGG16 and transfer learning: the base's summary, then what freezing and a new head change. */
import {
  countParams,
  formatCount,
  freeze,
  type ParamCounts,
  summary,
  vgg16,
  withHead,
} from '@cnnlab/models';
import * as tf from '@tensorflow/tfjs';
import { byId } from '../canvas';

function addRow(body: HTMLTableSectionElement, step: string, counts: ParamCounts): void {
  const row = body.insertRow();
  const head = document.createElement('th');
  head.scope = 'row';
  head.textContent = step;
  row.append(head);
  for (const value of [counts.total, counts.trainable, counts.nonTrainable]) {
    row.insertCell().textContent = formatCount(value);
  }
}

async function buildVgg(): Promise<void> {
  const button = byId<HTMLButtonElement>('vgg-build');
  const status = byId('vgg-status');
  button.disabled = true;
  status.textContent = 'Building VGG16 with random weights (about 15 million of them)…';
  await tf.nextFrame();
  const before = tf.memory().numTensors;
  let model: tf.LayersModel | undefined;
  try {
    const started = performance.now();
    const base = vgg16({ includeTop: false, inputShape: [150, 150, 3] });
    model = base;
    const body = byId<HTMLTableElement>('vgg-params').tBodies[0];
    body.replaceChildren();
    byId('vgg-summary').textContent = summary(base);
    const fresh = countParams(base);
    addRow(body, 'VGG16 base, as built', fresh);
    freeze(base);
    const frozen = countParams(base);
    addRow(body, 'after freeze(base)', frozen);
    const head = withHead(base, { classes: 3, hidden: [256], dropout: 0.5 });
    model = head;
    const withNewHead = countParams(head);
    addRow(body, 'with a new head: Flatten, Dense 256, Dropout, Dense 3', withNewHead);
    byId('vgg-head-summary').textContent = summary(head);
    byId('vgg-explain').textContent =
      `Frozen, none of VGG16's ${formatCount(frozen.total)} weights changes in training. ` +
      `Only the new head's ${formatCount(withNewHead.trainable)} weights learn our three classes ` +
      '(rock, paper, scissors), so a few hundred pictures are enough instead of millions.';
    byId('vgg-results').hidden = false;
    status.textContent = `Built in ${((performance.now() - started) / 1000).toFixed(1)} s; its weights are freed again.`;
  } catch (error) {
    status.textContent = `Could not build VGG16: ${(error as Error).message}`;
  } finally {
    // The head shares the base's layers: disposing it frees every weight, base's included.
    model?.dispose();
    byId('vgg-results').dataset.leakedTensors = String(tf.memory().numTensors - before);
    button.disabled = false;
  }
}

export function setupVgg(): void {
  byId('vgg-build').addEventListener('click', () => void buildVgg());
}
