import type * as tfl from '@tensorflow/tfjs-layers';

/** A layer's output shape: `null` for the batch and other free dimensions. */
export type OutputShape = (number | null)[];

/** One row of a summary. */
export interface SummaryRow {
  name: string;
  /** The layer's class, as Keras prints it: `Conv2D`, `Dense`, `InputLayer`, … */
  className: string;
  /** One shape, a list for a layer with several outputs, or null where uses differ ("multiple"). */
  outputShape: OutputShape | OutputShape[] | null;
  /** All of the layer's weights, trainable or not (Keras's "Param #"). */
  params: number;
  trainable: boolean;
  /** Inbound layers as Keras writes them (`conv2d[0][0]`); empty for inputs. */
  connectedTo: string[];
}

/** Parameter counts over the model's distinct weights. */
export interface ParamCounts {
  total: number;
  trainable: number;
  nonTrainable: number;
}

/** What summary prints, as data. */
export interface SummaryData {
  name: string;
  /** A chain of layers, one input each: printed without the "Connected to" column. */
  sequential: boolean;
  layers: SummaryRow[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
}

// Weights always have concrete shapes; tfjs types them as layer shapes, with room for null.
const size = (shape: readonly (number | null)[]) => shape.reduce<number>((a, b) => a * (b ?? 0), 1);

/**
 * Total, trainable and non-trainable parameters, each weight counted once even when a layer is
 * shared. Trainable means what the layers' flags say now (a compiled model trains what was
 * trainable when it was compiled).
 */
export function countParams(model: tfl.LayersModel): ParamCounts {
  const trainableIds = new Set(model.trainableWeights.map((w) => w.id));
  const seen = new Set<number>();
  let total = 0;
  let trainable = 0;
  for (const w of model.weights) {
    if (seen.has(w.id)) continue;
    seen.add(w.id);
    const n = size(w.shape);
    total += n;
    if (trainableIds.has(w.id)) trainable += n;
  }
  return { total, trainable, nonTrainable: total - trainable };
}

function outputShapeOf(layer: tfl.layers.Layer): SummaryRow['outputShape'] {
  try {
    const shape = layer.outputShape as unknown;
    return Array.isArray(shape) ? (shape as OutputShape | OutputShape[]) : null;
  } catch {
    // tfjs throws when a shared layer's uses give different shapes: Keras prints "multiple".
    return null;
  }
}

function isSequentialLike(model: tfl.LayersModel): boolean {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return false;
  return model.layers.every(
    (layer) =>
      layer.inboundNodes.length <= 1 &&
      layer.inboundNodes.every((node) => node.inboundLayers.length <= 1),
  );
}

/** The rows and totals of a Keras summary of `model`. */
export function summaryData(model: tfl.LayersModel): SummaryData {
  const layers = model.layers.map((layer): SummaryRow => {
    const connectedTo: string[] = [];
    for (const node of layer.inboundNodes) {
      node.inboundLayers.forEach((inbound, i) => {
        connectedTo.push(`${inbound.name}[${node.nodeIndices[i]}][${node.tensorIndices[i]}]`);
      });
    }
    return {
      name: layer.name,
      className: layer.getClassName(),
      outputShape: outputShapeOf(layer),
      params: layer.countParams(),
      trainable: layer.trainable,
      connectedTo,
    };
  });
  const counts = countParams(model);
  return {
    name: model.name,
    sequential: isSequentialLike(model),
    layers,
    totalParams: counts.total,
    trainableParams: counts.trainable,
    nonTrainableParams: counts.nonTrainable,
  };
}

/** 93322 → "93,322", without depending on the runtime's locale data. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A shape as Python prints a tuple: `(None, 26, 26, 32)`, `(None, 10)`, `(None,)`. */
export function formatShape(shape: SummaryRow['outputShape']): string {
  if (shape === null) return 'multiple';
  if (shape.length > 0 && Array.isArray(shape[0])) {
    return `[${(shape as OutputShape[]).map((s) => formatShape(s)).join(', ')}]`;
  }
  const dims = (shape as OutputShape).map((d) => (d === null ? 'None' : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

// Keras's column widths for a line of 65 (sequential) and 98 (with connections); a column grows
// when its text would not fit, rather than cutting names short as Keras does.
const SEQUENTIAL_WIDTHS = [29, 26, 10];
const CONNECTED_WIDTHS = [32, 21, 12, 33];
const HEADERS = ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'];

/** Keras's summary table from SummaryData: pure text, nothing printed. */
export function formatSummary(data: SummaryData): string {
  const columns = data.sequential ? 3 : 4;
  const rows = data.layers.map((layer) => {
    const cells = [
      `${layer.name} (${layer.className})`,
      formatShape(layer.outputShape),
      String(layer.params),
    ];
    const lines = [[...cells, layer.connectedTo[0] ?? '']];
    // Further connections go on lines of their own, under the last column, as Keras prints them.
    for (const extra of layer.connectedTo.slice(1)) lines.push(['', '', '', extra]);
    return lines.map((line) => line.slice(0, columns));
  });
  const widths = (data.sequential ? SEQUENTIAL_WIDTHS : CONNECTED_WIDTHS).map((width, c) => {
    const longest = Math.max(HEADERS[c].length, ...rows.flat().map((line) => line[c].length));
    // The last column needs no gap after it.
    return Math.max(width, longest + (c < columns - 1 ? 1 : 0));
  });
  const lineLength = widths.reduce((a, b) => a + b, 0);
  const row = (cells: string[]) =>
    cells
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('')
      .trimEnd();
  const out = [
    `Model: "${data.name}"`,
    '_'.repeat(lineLength),
    row(HEADERS.slice(0, columns)),
    '='.repeat(lineLength),
  ];
  rows.forEach((lines, i) => {
    for (const line of lines) out.push(row(line));
    out.push((i === rows.length - 1 ? '=' : '_').repeat(lineLength));
  });
  if (rows.length === 0) out.push('='.repeat(lineLength));
  out.push(
    `Total params: ${formatCount(data.totalParams)}`,
    `Trainable params: ${formatCount(data.trainableParams)}`,
    `Non-trainable params: ${formatCount(data.nonTrainableParams)}`,
    '_'.repeat(lineLength),
  );
  return out.join('\n');
}

/**
 * Keras's `model.summary()` as a string: each layer's name and type, output shape and parameter
 * count, then the total, trainable and non-trainable parameters.
 */
export function summary(model: tfl.LayersModel): string {
  return formatSummary(summaryData(model));
}
