// 2, animated: the kernel sliding over the workshop's 5×5 matrix one output value at a time
// (the padding ring, the window, its products and running sum, the output filling in), and the
// same kernel sliding over the digit while the filtered digit is revealed place by place.

import { toRgba } from '@cnnlab/viz';
import { byId, paint } from '../canvas';
import {
  type SlideMatrix,
  type SlideMode,
  type SlidingWindow,
  slideAll,
  slidingWindow,
  windowStep,
} from '../sliding-window';

/** What the section's controls say: the kernel as typed, the padding and the stride. */
export interface SlideSettings {
  kernel: SlideMatrix;
  mode: SlideMode;
  stride: number;
}

const fmt = (v: number) => String(Number(v.toFixed(2)));
/** A sign that reads as a term of a sum: "+ 3", "− 8". */
const term = (v: number, first: boolean) =>
  first ? fmt(v) : v < 0 ? `− ${fmt(-v)}` : `+ ${fmt(v)}`;

/** The matrix animation: its plan, every value it makes, and how many are made so far. */
const matrix: {
  plan?: SlidingWindow;
  values?: Float64Array;
  done: number;
  timer?: ReturnType<typeof setInterval>;
} = { done: 0 };

/** The digit animation: its plan, the whole result's pixels, how far it has come. */
const onDigit: {
  plan?: SlidingWindow;
  image?: SlideMatrix;
  pixels?: Uint8ClampedArray;
  done: number;
  timer?: ReturnType<typeof setTimeout>;
} = { done: 0 };

/** The digit's slide takes 200 ticks of 30 ms (about 6 s), whatever the output's size. */
const DIGIT_TICKS = 200;
const DIGIT_TICK_MS = 30;

export function setupFilterSlide(): void {
  byId('slide-play').addEventListener('click', () => {
    if (matrix.timer) stopMatrix();
    else playMatrix();
  });
  byId('slide-step').addEventListener('click', () => {
    stopMatrix();
    stepMatrix();
  });
  byId('slide-reset').addEventListener('click', () => {
    stopMatrix();
    matrix.done = 0;
    drawMatrix();
  });
  byId('slide-speed').addEventListener('input', () => {
    if (matrix.timer) {
      stopMatrix();
      playMatrix();
    }
  });
  byId('digit-slide-play').addEventListener('click', () => {
    if (onDigit.timer) stopDigit();
    else playDigit();
  });
}

/**
 * The controls changed (or the digits arrived): both animations start again from nothing with
 * the new kernel, padding and stride. `digit` is the picture under the second one.
 */
export function restartFilterSlide(
  settings: SlideSettings,
  worked: SlideMatrix,
  digit?: SlideMatrix,
): void {
  // At strides above 1 the section computes with a Conv2D layer, which has no 'full'.
  const mode = settings.stride > 1 && settings.mode === 'full' ? 'same' : settings.mode;
  const options = { mode, stride: settings.stride };
  stopMatrix();
  matrix.plan = slidingWindow(worked, settings.kernel, options);
  matrix.values = slideAll(matrix.plan);
  matrix.done = 0;
  drawMatrix();
  stopDigit();
  if (digit) {
    onDigit.image = digit;
    onDigit.plan = slidingWindow(digit, settings.kernel, options);
    onDigit.pixels = undefined;
    onDigit.done = onDigit.plan.steps;
    drawDigit();
  }
}

function interval(): number {
  const speed = Number(byId<HTMLInputElement>('slide-speed').value) || 4;
  return Math.round(2000 / Math.max(1, Math.min(10, speed)));
}

function playMatrix(): void {
  const plan = matrix.plan;
  if (!plan) return;
  if (matrix.done >= plan.steps) matrix.done = 0;
  byId('slide-play').textContent = 'Pause';
  stepMatrix();
  matrix.timer = setInterval(() => {
    stepMatrix();
    if (matrix.done >= plan.steps) stopMatrix();
  }, interval());
}

function stopMatrix(): void {
  if (matrix.timer) clearInterval(matrix.timer);
  matrix.timer = undefined;
  byId('slide-play').textContent = 'Play';
}

function stepMatrix(): void {
  if (!matrix.plan || matrix.done >= matrix.plan.steps) return;
  matrix.done += 1;
  drawMatrix();
}

function cellTable(table: HTMLTableElement, rows: number, cols: number): HTMLTableCellElement[] {
  table.replaceChildren();
  const cells: HTMLTableCellElement[] = [];
  for (let r = 0; r < rows; r++) {
    const tr = table.insertRow();
    for (let c = 0; c < cols; c++) cells.push(tr.insertCell());
  }
  return cells;
}

/** The four tables and the sum for the current step (`done` − 1; none before the first). */
function drawMatrix(): void {
  const { plan, values } = matrix;
  if (!plan || !values) return;
  const { margins, paddedRows, paddedCols, kernelRows, kernelCols, outRows, outCols } = plan;
  const step = matrix.done > 0 ? windowStep(plan, matrix.done - 1) : undefined;

  const input = cellTable(byId('slide-input'), paddedRows, paddedCols);
  input.forEach((cell, i) => {
    const r = Math.floor(i / paddedCols);
    const c = i % paddedCols;
    cell.textContent = fmt(plan.padded[i] ?? 0);
    const pad =
      r < margins.top ||
      r >= paddedRows - margins.bottom ||
      c < margins.left ||
      c >= paddedCols - margins.right;
    cell.classList.toggle('pad', pad);
    const inside =
      step !== undefined &&
      r >= step.top &&
      r < step.top + kernelRows &&
      c >= step.left &&
      c < step.left + kernelCols;
    cell.classList.toggle('in-window', inside);
  });
  const padding = margins.top + margins.bottom + margins.left + margins.right;
  byId('slide-input-caption').textContent = padding
    ? `The input, ${plan.rows}×${plan.cols}, with its padding of zeros (${paddedRows}×${paddedCols})`
    : `The input, ${plan.rows}×${plan.cols}, no padding ('valid')`;

  const kernel = cellTable(byId('slide-kernel'), kernelRows, kernelCols);
  kernel.forEach((cell, i) => {
    cell.textContent = fmt(plan.kernel[i] ?? 0);
  });

  const products = cellTable(byId('slide-products'), kernelRows, kernelCols);
  products.forEach((cell, i) => {
    if (!step) return;
    const value = step.values[i] ?? 0;
    const product = step.products[i] ?? 0;
    cell.dataset.product = String(product);
    const how = document.createElement('small');
    how.textContent = `${fmt(value)}×${fmt(plan.kernel[i] ?? 0)}`;
    const result = document.createElement('b');
    result.textContent = fmt(product);
    cell.append(how, document.createElement('br'), result);
  });

  const output = cellTable(byId('slide-output'), outRows, outCols);
  output.forEach((cell, i) => {
    const made = i < matrix.done;
    cell.textContent = made ? fmt(values[i] ?? 0) : '';
    if (made) cell.dataset.value = String(values[i]);
    cell.classList.toggle('todo', !made);
    cell.classList.toggle('current', i === matrix.done - 1);
  });
  byId('slide-output-caption').textContent =
    `The output, ${outRows}×${outCols}${plan.stride > 1 ? ` (stride ${plan.stride})` : ''}`;

  const status = byId('slide-status');
  status.dataset.done = String(matrix.done);
  status.dataset.total = String(plan.steps);
  const sum = byId('slide-sum');
  if (!step) {
    status.textContent = `Press Play or Step: ${plan.steps} places for the window, one for each output value.`;
    sum.replaceChildren();
    delete sum.dataset.sum;
    return;
  }
  status.textContent =
    `Step ${matrix.done} of ${plan.steps}: the window's corner at row ${step.top + 1}, column ${step.left + 1}` +
    `${margins.top || margins.left ? ' of the padded input' : ''}` +
    `${plan.stride > 1 ? `, ${plan.stride} cells on from the last` : ''}.`;
  sum.dataset.sum = String(step.sum);
  sum.dataset.row = String(step.row);
  sum.dataset.col = String(step.col);
  const terms = step.products.map((p, i) => term(p, i === 0)).join(' ');
  const line = document.createElement('span');
  line.textContent = `output row ${step.row + 1}, column ${step.col + 1} = ${terms} = ${fmt(step.sum)}`;
  const running = document.createElement('span');
  running.className = 'slide-running';
  running.textContent = `running sum: ${step.running.map(fmt).join(' → ')}`;
  sum.replaceChildren(line, document.createElement('br'), running);
}

function playDigit(): void {
  const { plan, image } = onDigit;
  if (!plan || !image) return;
  if (!onDigit.pixels) {
    // Coloured as the whole result is (black its lowest, white its highest), so the picture
    // being revealed is the one shown when the slide is over.
    const [outRows, outCols] = [plan.outRows, plan.outCols];
    onDigit.pixels = toRgba(
      { data: slideAll(plan), shape: [outRows, outCols] },
      { range: 'minmax' },
    ).data as Uint8ClampedArray;
  }
  if (onDigit.done >= plan.steps) onDigit.done = 0;
  byId('digit-slide-play').textContent = 'Pause';
  const perTick = Math.ceil(plan.steps / DIGIT_TICKS);
  const tick = () => {
    onDigit.done = Math.min(plan.steps, onDigit.done + perTick);
    drawDigit();
    if (onDigit.done >= plan.steps) stopDigit();
    else onDigit.timer = setTimeout(tick, DIGIT_TICK_MS);
  };
  tick();
}

function stopDigit(): void {
  if (onDigit.timer) clearTimeout(onDigit.timer);
  onDigit.timer = undefined;
  byId('digit-slide-play').textContent =
    onDigit.plan && onDigit.done < onDigit.plan.steps ? 'Go on' : 'Slide it over the digit';
}

/** The filtered digit as far as the window has come, and the window where it is. */
function drawDigit(): void {
  const { plan, pixels } = onDigit;
  if (!plan) return;
  const windowBox = byId('digit-window');
  const cellBox = byId('digit-out-cell');
  const status = byId('digit-slide-status');
  status.dataset.done = String(onDigit.done);
  status.dataset.total = String(plan.steps);
  const finished = onDigit.done >= plan.steps;
  windowBox.hidden = finished;
  cellBox.hidden = finished;
  if (!pixels) {
    status.textContent = '';
    return;
  }
  const revealed = new Uint8ClampedArray(pixels.length);
  revealed.set(pixels.subarray(0, onDigit.done * 4));
  paint(byId('filter-digit-out'), { data: revealed, shape: [plan.outRows, plan.outCols, 4] });
  if (finished) {
    status.textContent = `${plan.steps} values, one for each place of the window.`;
    return;
  }
  const step = windowStep(plan, Math.max(0, onDigit.done - 1));
  const { margins, rows, cols, kernelRows, kernelCols } = plan;
  place(
    windowBox,
    step.top - margins.top,
    step.left - margins.left,
    kernelRows,
    kernelCols,
    rows,
    cols,
  );
  place(cellBox, step.row, step.col, 1, 1, plan.outRows, plan.outCols);
  status.textContent = `${onDigit.done} of ${plan.steps} values: the window at row ${step.top - margins.top + 1}, column ${step.left - margins.left + 1} of the digit${margins.top || margins.left ? ' (zeros outside it)' : ''}.`;
}

/** Puts a box over a picture of `rows`×`cols` pixels at the given cells, in percent. */
function place(
  box: HTMLElement,
  top: number,
  left: number,
  height: number,
  width: number,
  rows: number,
  cols: number,
): void {
  box.style.top = `${(top / rows) * 100}%`;
  box.style.left = `${(left / cols) * 100}%`;
  box.style.height = `${(height / rows) * 100}%`;
  box.style.width = `${(width / cols) * 100}%`;
}
