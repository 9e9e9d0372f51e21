// 6, explained: CNN Explainer's idea on the network the student trained. Clicking a cell of an
// activation map shows the numbers that make it: the input window the filter reads, the kernel,
// their element-wise products, the sum, the bias and the activation; the step buttons slide the
// window across the image.
import { activations } from '@cnnlab/trainer';
import type * as tf from '@tensorflow/tfjs';
import { byId } from '../canvas';
import { digit, state } from '../state';

/** Which value is explained: a Conv2D layer, one of its filters, a row and a column of its map. */
export interface ExplainedCell {
  layer: string;
  filter: number;
  row: number;
  col: number;
}

interface Arrays {
  data: Float32Array;
  shape: number[];
}

/** The layer's input for test digit `index`: the previous layer's output, or the scaled digit. */
async function inputOf(
  model: tf.LayersModel,
  layer: tf.layers.Layer,
  index: number,
): Promise<Arrays> {
  const position = model.layers.indexOf(layer);
  const previous = model.layers[position - 1];
  if (!previous || previous.getClassName() === 'InputLayer') {
    const bytes = digit(index).data;
    return { data: Float32Array.from(bytes, (v) => v / 255), shape: [28, 28, 1] };
  }
  const [out] = await activations(model, { data: digit(index).data, shape: [1, 28, 28] }, [
    previous.name,
  ]);
  if (!out) throw new Error(`no output of ${previous.name}`);
  return { data: Float32Array.from(out.activation.data), shape: out.activation.shape.slice(1) };
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(3));

function grid(
  title: string,
  values: number[],
  kh: number,
  kw: number,
  className = '',
): HTMLTableElement {
  const table = document.createElement('table');
  table.className = `explain-grid ${className}`;
  const caption = table.createCaption();
  caption.textContent = title;
  for (let y = 0; y < kh; y++) {
    const row = table.insertRow();
    for (let x = 0; x < kw; x++) {
      const cell = row.insertCell();
      const v = values[y * kw + x] ?? 0;
      cell.textContent = fmt(v);
      // Shade by sign and size, so the big contributions stand out before the numbers are read.
      const a = Math.min(1, Math.abs(v));
      cell.style.background = v >= 0 ? `rgba(42,111,219,${a * 0.5})` : `rgba(214,39,40,${a * 0.5})`;
    }
  }
  return table;
}

/** Computes and shows the value of `cell` from its window, kernel and bias. */
export async function explainCell(cell: ExplainedCell, digitIndex: number): Promise<void> {
  const model = state.model;
  const out = byId('act-explain-body');
  if (!model) return;
  const layer = model.getLayer(cell.layer);
  const config = layer.getConfig() as {
    kernelSize: number[];
    strides: number[];
    padding: string;
    activation: string;
  };
  const [kernel, bias] = layer.getWeights();
  if (!kernel) return;
  const [kh = 3, kw = 3, cin = 1, filters = 1] = kernel.shape;
  const weights = kernel.dataSync();
  const b = bias ? (bias.dataSync()[cell.filter] ?? 0) : 0;
  const input = await inputOf(model, layer, digitIndex);
  const [h = 0, w = 0] = input.shape;
  const [sh = 1, sw = 1] = config.strides;
  // 'same' pads so that the window's centre can sit on every pixel: TF's split, more at the end.
  const outH = config.padding === 'same' ? Math.ceil(h / sh) : Math.floor((h - kh) / sh) + 1;
  const outW = config.padding === 'same' ? Math.ceil(w / sw) : Math.floor((w - kw) / sw) + 1;
  const padTop =
    config.padding === 'same' ? Math.floor(Math.max((outH - 1) * sh + kh - h, 0) / 2) : 0;
  const padLeft =
    config.padding === 'same' ? Math.floor(Math.max((outW - 1) * sw + kw - w, 0) / 2) : 0;
  const row = Math.max(0, Math.min(outH - 1, cell.row));
  const col = Math.max(0, Math.min(outW - 1, cell.col));
  const filter = Math.max(0, Math.min(filters - 1, cell.filter));
  const top = row * sh - padTop;
  const left = col * sw - padLeft;
  // Per input channel: the window, the kernel slice and their products.
  const channels = Array.from({ length: cin }, (_, c) => {
    const window: number[] = [];
    const kern: number[] = [];
    const products: number[] = [];
    for (let y = 0; y < kh; y++) {
      for (let x = 0; x < kw; x++) {
        const iy = top + y;
        const ix = left + x;
        const v =
          iy >= 0 && iy < h && ix >= 0 && ix < w ? (input.data[(iy * w + ix) * cin + c] ?? 0) : 0;
        const k = weights[((y * kw + x) * cin + c) * filters + filter] ?? 0;
        window.push(v);
        kern.push(k);
        products.push(v * k);
      }
    }
    return { c, window, kern, products, sum: products.reduce((a, p) => a + p, 0) };
  });
  const sum = channels.reduce((a, ch) => a + ch.sum, 0);
  const z = sum + b;
  const value = config.activation === 'relu' ? Math.max(0, z) : z;
  // The model's own value at that cell, to set the hand computation against.
  const [computed] = await activations(
    model,
    { data: digit(digitIndex).data, shape: [1, 28, 28] },
    [cell.layer],
  );
  const modelValue = computed
    ? (computed.activation.data[(row * outW + col) * filters + filter] ?? Number.NaN)
    : Number.NaN;

  const parts: HTMLElement[] = [];
  const intro = document.createElement('p');
  intro.textContent =
    `${cell.layer}, filter ${filter + 1} of ${filters}, row ${row + 1} and column ${col + 1} of its ${outH}×${outW} map: ` +
    `the ${kh}×${kw} window at (${top + 1}, ${left + 1}) of its ${h}×${w}×${cin} input (stride ${sh}, '${config.padding}' padding` +
    `${config.padding === 'same' ? ': zeros outside the picture' : ''}).`;
  parts.push(intro);
  // Grids for one channel (the one that adds most when there are many): window × kernel = products.
  const shown =
    cin === 1
      ? channels
      : [...channels].sort((p, q) => Math.abs(q.sum) - Math.abs(p.sum)).slice(0, 1);
  for (const ch of shown) {
    const line = document.createElement('div');
    line.className = 'explain-row';
    const label =
      cin === 1 ? '' : ` (input channel ${ch.c + 1}, the largest of ${cin} contributions)`;
    line.append(
      grid(`Input window${label}`, ch.window, kh, kw),
      Object.assign(document.createElement('span'), { textContent: '×', className: 'explain-op' }),
      grid('Kernel', ch.kern, kh, kw),
      Object.assign(document.createElement('span'), { textContent: '=', className: 'explain-op' }),
      grid(`Products, sum ${fmt(ch.sum)}`, ch.products, kh, kw, 'products'),
    );
    parts.push(line);
  }
  if (cin > 1) {
    const list = document.createElement('p');
    list.textContent = `The ${cin} channels' sums: ${channels.map((ch) => fmt(ch.sum)).join(' + ')}.`;
    parts.push(list);
  }
  const total = document.createElement('p');
  total.className = 'explain-total';
  total.dataset.sum = String(sum);
  total.dataset.bias = String(b);
  total.dataset.value = String(value);
  total.dataset.model = String(modelValue);
  total.textContent =
    `Sum ${fmt(sum)} + bias ${fmt(b)} = ${fmt(z)}; ` +
    (config.activation === 'relu'
      ? `relu keeps it if positive: max(0, ${fmt(z)}) = ${fmt(value)}.`
      : `${config.activation}: ${fmt(value)}.`) +
    ` The network computed ${fmt(modelValue)}.`;
  parts.push(total);
  out.replaceChildren(...parts);
  Object.assign(current, { layer: cell.layer, filter, row, col });
  byId('act-explain').hidden = false;
  explainedShape = { outH, outW };
}

const current: ExplainedCell = { layer: '', filter: 0, row: 0, col: 0 };
let explainedShape = { outH: 1, outW: 1 };

/** Moves the window one step (wrapping to the next row), as the convolution does. */
function step(by: number, digitIndex: () => number): void {
  if (!current.layer) return;
  const n = explainedShape.outH * explainedShape.outW;
  const at = (((current.row * explainedShape.outW + current.col + by) % n) + n) % n;
  void explainCell(
    { ...current, row: Math.floor(at / explainedShape.outW), col: at % explainedShape.outW },
    digitIndex(),
  );
}

/**
 * Makes each map of an activation figure clickable: the click's place in the map's picture is
 * the cell explained. `maps` is the number of maps (the figure's first images, in filter order).
 */
export function explainOnClick(
  figure: HTMLElement,
  layer: string,
  maps: number,
  shape: [number, number],
  digitIndex: () => number,
): void {
  const images = Array.from(figure.querySelectorAll('image')).slice(0, maps);
  images.forEach((image, filter) => {
    image.style.cursor = 'crosshair';
    image.addEventListener('click', (event) => {
      const box = image.getBoundingClientRect();
      const row = Math.floor(((event.clientY - box.top) / box.height) * shape[0]);
      const col = Math.floor(((event.clientX - box.left) / box.width) * shape[1]);
      void explainCell({ layer, filter, row, col }, digitIndex());
    });
  });
}

/** The step buttons. */
export function setupExplain(digitIndex: () => number): void {
  byId('act-step-back').addEventListener('click', () => step(-1, digitIndex));
  byId('act-step').addEventListener('click', () => step(1, digitIndex));
}
