// 2. Filters: the convolution operation. A 3×3 kernel (named or typed in) over the workshop's
// worked example and over a test digit, and the workshop's filter and kernel figures.
import {
  conv2d,
  convolve2d,
  FILTER_NAMES,
  type FilterName,
  type MatrixInput,
  namedKernel,
  workshopFilterFigure,
} from '@cnnlab/kernels';
import { filterFigure, kernelFigure, toRgba } from '@cnnlab/viz';
import { byId, paint } from '../canvas';
import { showFigure } from '../figures';
import { digit, state } from '../state';
import { restartFilterSlide, type SlideSettings, setupFilterSlide } from './filter-slide';

const WORKED_EXAMPLE = [
  [2, 3, 4, 2, 4],
  [0, 1, 4, 1, 1],
  [1, 1, 0, 7, 2],
  [3, 2, 3, 1, 1],
  [1, 2, 0, 2, 8],
];
const WORKED_MATRIX = { data: WORKED_EXAMPLE.flat(), shape: [5, 5] as [number, number] };

/**
 * The workshop's four hand-made kernels, as kernelFigure titles them: short titles keep the
 * panels 108 px, so the figure fits beside the filter figure (and the learned kernels).
 */
const CLASSIC_KERNELS: readonly [FilterName, string][] = [
  ['smoothing', 'Smoothing'],
  ['horizontal-edge', 'Horizontal'],
  ['vertical-edge', 'Vertical'],
  ['edge-detector', 'Edge detector'],
];

/** The hand-crafted kernels' figure (also shown beside the CNN's learned ones, section 4). */
export function classicKernelFigure() {
  return kernelFigure(
    CLASSIC_KERNELS.map(([name, title]) => ({ title, image: namedKernel(name) })),
    { title: 'Hand-crafted 3×3 kernels' },
  );
}

const kernelInputs: HTMLInputElement[] = [];

/** Before the digits load: the kernel editor, the worked example and the kernel figure. */
export function setupFilters(): void {
  const select = byId<HTMLSelectElement>('filter-name');
  for (const name of FILTER_NAMES) {
    if (name === 'gaussian') continue; // 5×5 by default: the editor holds 3×3
    const option = document.createElement('option');
    option.value = name;
    option.textContent = name;
    option.selected = name === 'edge-detector';
    select.append(option);
  }
  const cells = byId<HTMLDivElement>('kernel-cells');
  for (let i = 0; i < 9; i++) {
    const input = document.createElement('input');
    input.type = 'number';
    input.step = 'any';
    input.id = `kernel-${i}`;
    input.setAttribute('aria-label', `Kernel row ${Math.floor(i / 3) + 1}, column ${(i % 3) + 1}`);
    input.addEventListener('input', updateFilters);
    kernelInputs.push(input);
    cells.append(input);
  }
  const input = byId<HTMLTableElement>('conv-input');
  fillTable(input, WORKED_EXAMPLE.flat(), 5, 5);
  select.addEventListener('change', loadNamedKernel);
  byId('filter-mode').addEventListener('change', updateFilters);
  byId('filter-stride').addEventListener('input', updateFilters);
  byId('filter-index').addEventListener('input', () => {
    showFilterFigure();
    updateFilters();
  });
  showFigure(byId('kernel-figure'), classicKernelFigure());
  setupFilterSlide();
  loadNamedKernel();
}

/** Once the digits are loaded: the filter figure, and the kernel over the chosen digit. */
export function initFilters(): void {
  showFilterFigure();
  updateFilters();
}

function filterDigitIndex(): number {
  return Math.max(
    0,
    Math.min(1999, Math.round(Number(byId<HTMLInputElement>('filter-index').value) || 0)),
  );
}

/** The workshop's 2×2 figure (Original, Smoothed, Horizontal Edges, All Edges) of the digit. */
function showFilterFigure(): void {
  const { mnist } = state;
  if (!mnist) return;
  const index = filterDigitIndex();
  showFigure(
    byId('filter-figure'),
    filterFigure(workshopFilterFigure(digit(index)), {
      title: `Test digit ${index} (a ${mnist.test.labels[index]}) through three filters`,
    }),
  );
}

function loadNamedKernel(): void {
  const name = byId<HTMLSelectElement>('filter-name').value as FilterName;
  const kernel = namedKernel(name, { size: 3 });
  kernelInputs.forEach((input, i) => {
    input.value = String(Number(kernel.data[i].toFixed(4)));
  });
  updateFilters();
}

function fillTable(
  table: HTMLTableElement,
  values: ArrayLike<number>,
  rows: number,
  cols: number,
): void {
  table.replaceChildren();
  for (let r = 0; r < rows; r++) {
    const tr = table.insertRow();
    for (let c = 0; c < cols; c++) {
      tr.insertCell().textContent = String(Number(values[r * cols + c].toFixed(2)));
    }
  }
}

/** The kernel as typed, the padding and the stride, as the controls say them now. */
function settings(): SlideSettings {
  const values = kernelInputs.map((input) => Number(input.value) || 0);
  const mode = byId<HTMLSelectElement>('filter-mode').value as SlideSettings['mode'];
  const stride = Math.max(
    1,
    Math.min(3, Math.round(Number(byId<HTMLInputElement>('filter-stride').value) || 1)),
  );
  return { kernel: { data: values, shape: [3, 3] }, mode, stride };
}

function filterImage(image: MatrixInput, { kernel, mode, stride }: SlideSettings) {
  const weights = { data: Float64Array.from(kernel.data), shape: kernel.shape };
  if (stride === 1)
    return { out: convolve2d(image, weights, { mode }), how: `convolve2d, '${mode}'` };
  // Strides belong to the layer view: conv2d with the kernel flipped, as convolve2d flips it.
  const padding = mode === 'full' ? 'same' : mode;
  return {
    out: conv2d(image, weights, { padding, strides: stride, flip: true }),
    how: `conv2d, '${padding}', strides ${stride}`,
  };
}

function updateFilters(): void {
  try {
    const now = settings();
    const { out, how } = filterImage(WORKED_EXAMPLE, now);
    const [rows, cols] = out.shape;
    fillTable(byId('conv-output'), out.data, rows, cols);
    byId('conv-caption').textContent = `Output ${rows}×${cols} (${how})`;
    byId('conv-first').textContent = String(Number(out.data[0].toFixed(2)));
    let original: ReturnType<typeof digit> | undefined;
    if (state.mnist) {
      // Both stretched to black = lowest, white = highest: a filtered digit has any sign.
      original = digit(filterDigitIndex());
      paint(byId('filter-digit'), toRgba(original, { range: 'minmax' }));
      const filtered = filterImage(original, now).out;
      const [fh, fw] = filtered.shape;
      paint(byId('filter-digit-out'), toRgba(filtered, { range: 'minmax' }));
      byId('filter-out-caption').textContent =
        `Filtered by your kernel (${fh}×${fw}, black = lowest, white = highest)`;
    }
    restartFilterSlide(now, WORKED_MATRIX, original);
  } catch (error) {
    byId('conv-first').textContent = `error: ${(error as Error).message}`;
  }
}
