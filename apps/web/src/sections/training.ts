// 4. Train a network: the dense or the CNN network on the first digits of the training split,
// with a live chart, then the workshop's curves, the confusion matrix on 1,000 test digits and,
// for the CNN, its learned first-layer kernels.
import { subset } from '@cnnlab/datasets';
import { cnnMnist, denseMnist } from '@cnnlab/models';
import { evaluate, train } from '@cnnlab/trainer';
import { confusionMatrixChart, convFilters, trainingCurves } from '@cnnlab/viz';
import * as tf from '@tensorflow/tfjs';
import { byId } from '../canvas';
import type { LiveChart } from '../chart';
import { showFigure, showSpec } from '../figures';
import { announceTrained, setModel, state } from '../state';
import { setStatus } from '../status';
import { classicKernelFigure } from './filters';

let stopRequested = false;
let chart: LiveChart | undefined;

async function runTraining(): Promise<void> {
  const { mnist } = state;
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
    const { LiveChart } = await import('../chart');
    chart?.finalize();
    const live = new LiveChart(byId('train-chart'));
    chart = live;
    setStatus(`Training the ${kind} network on ${size} digits (${tf.getBackend()} backend)…`);
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
    setModel(next, kind);
    byId('test-acc').textContent = result.accuracy.toFixed(4);
    await showResults(kind, history, result.confusionMatrix, testSplit.labels.length);
    if (kind === 'cnn') showLearnedFilters(next);
    else byId('learned').hidden = true;
    setStatus(
      `Trained the ${kind} network in ${seconds.toFixed(1)} s ` +
        `(${((seconds / Math.max(1, images)) * 1000).toFixed(2)} s per 1,000 images) ` +
        `on the ${history.backend} backend${stopRequested ? ' (stopped early)' : ''}; test accuracy ${(result.accuracy * 100).toFixed(1)}% on 1,000 digits.`,
    );
    // The drawing predicts with the new network, the activations section says what it can show.
    await announceTrained();
  } catch (error) {
    setStatus(`Training failed: ${(error as Error).message}`);
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

/** Once the digits are loaded: the train and stop buttons. */
export function initTraining(): void {
  byId('train-button').addEventListener('click', () => void runTraining());
  byId('train-stop').addEventListener('click', () => {
    stopRequested = true;
  });
}
