// 1. The digits: 32 test digits with their labels, from the offset the slider sets.
import { imageGrid } from '@cnnlab/viz';
import { byId, paint } from '../canvas';
import { state } from '../state';

function showDigits(): void {
  const { mnist } = state;
  if (!mnist) return;
  const offset = Math.max(
    0,
    Math.min(1968, Number(byId<HTMLInputElement>('data-offset').value) || 0),
  );
  const n = 32;
  const images = {
    data: mnist.test.images.data.subarray(offset * 784, (offset + n) * 784),
    shape: [n, 28, 28],
  };
  const labels = mnist.test.labels.subarray(offset, offset + n);
  paint(byId('data-grid'), imageGrid(images, { perRow: 16, labels }));
}

/** Once the digits are loaded: where they come from, the first 32, and the offset slider. */
export function initData(): void {
  const { mnist } = state;
  if (!mnist) return;
  byId('data-summary').textContent =
    `${mnist.source.description}. Showing 32 test digits with their labels.`;
  showDigits();
  byId('data-offset').addEventListener('input', showDigits);
}
