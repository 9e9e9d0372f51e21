// 3. New data: nine copies of test digit 0 through ImageDataGenerator, turned and shifted at
// random within the sliders' ranges; "again" draws the next seed.
import { ImageDataGenerator } from '@cnnlab/augment';
import { augmentedBatch } from '@cnnlab/viz';
import { byId } from '../canvas';
import { showFigure } from '../figures';
import { digit, state } from '../state';

let augmentSeed = 1;

function updateAugmentation(): void {
  if (!state.mnist) return;
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

/** Once the digits are loaded: the samples, redrawn as a slider moves or with a new seed. */
export function initAugmentation(): void {
  updateAugmentation();
  for (const id of ['aug-rotation', 'aug-shift'])
    byId(id).addEventListener('input', updateAugmentation);
  byId('aug-again').addEventListener('click', () => {
    augmentSeed++;
    updateAugmentation();
  });
}
