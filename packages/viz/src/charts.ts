import { VizError } from './errors.js';

/**
 * A Vega-Lite specification, as JSON: render with toSvg (@cnnlab/viz/charts, or
 * @cnnlab/viz/charts/browser on a page) or vega-embed.
 */
export interface VegaLiteSpec {
  $schema: string;
  [key: string]: unknown;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Keras History.history: one value per epoch under each key. */
export interface History {
  loss?: readonly number[];
  acc?: readonly number[];
  val_loss?: readonly number[];
  val_acc?: readonly number[];
  /** TF 2 names; read as acc / val_acc when those are absent. */
  accuracy?: readonly number[];
  val_accuracy?: readonly number[];
  [key: string]: readonly number[] | undefined;
}

/** One batch's logs, as a trainer's onBatchEnd sees them: 0-based epoch and batch. */
export interface BatchLog {
  epoch: number;
  batch: number;
  loss?: number;
  acc?: number;
  accuracy?: number;
}

export interface TrainingCurvesOptions {
  /**
   * Each batch's logs. With a single epoch, the training series is drawn per tenth of the epoch
   * (the mean of its batches), so one epoch still draws a curve.
   */
  batches?: readonly BatchLog[];
  /** Width of each panel in pixels. */
  width?: number;
}

interface Point {
  epoch: number;
  value: number;
  series: string;
  kind: 'training' | 'validation';
}

function series(
  values: readonly number[] | undefined,
  name: string,
  key: string,
  kind: Point['kind'],
): Point[] {
  if (values === undefined) return [];
  if (!Array.isArray(values) || values.some((v) => typeof v !== 'number')) {
    throw new VizError(`history.${key}: expected an array of numbers`, {
      source: `history.${key}`,
    });
  }
  // Epochs count from 1, as Keras prints them and the workshop plots them.
  return values.map((value, i) => ({ epoch: i + 1, value, series: name, kind }));
}

/** The first epoch's batches as up to ten points, each the mean over a tenth of the epoch. */
function tenths(batches: readonly BatchLog[], key: 'loss' | 'acc', name: string): Point[] {
  const values = batches
    .filter((b) => b.epoch === 0)
    .map((b) => (key === 'acc' ? (b.acc ?? b.accuracy) : b.loss))
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const bins = Math.min(10, values.length);
  const out: Point[] = [];
  for (let t = 0; t < bins; t++) {
    const part = values.slice(
      Math.floor((t * values.length) / bins),
      Math.floor(((t + 1) * values.length) / bins),
    );
    const value = part.reduce((a, b) => a + b, 0) / part.length;
    out.push({ epoch: (t + 1) / bins, value, series: name, kind: 'training' });
  }
  return out;
}

function curve(
  title: string,
  points: Point[],
  epochs: number,
  width: number,
  format: string,
): Record<string, unknown> {
  const fractional = points.some((p) => !Number.isInteger(p.epoch));
  const perBatch = fractional && points.filter((p) => p.kind === 'training').length < 10;
  const x = {
    field: 'epoch',
    type: 'quantitative',
    title: perBatch
      ? 'Epoch (training: each batch)'
      : fractional
        ? 'Epoch (training: mean of each tenth)'
        : 'Epoch',
    // Padding keeps the first and last dots inside the plot, as matplotlib's margins do.
    scale: { domain: fractional ? [0, 1] : [1, Math.max(2, epochs)], nice: false, padding: 8 },
    axis: fractional ? { format: '.1f' } : { format: 'd', tickMinStep: 1 },
  };
  const names = [...new Set(points.map((p) => p.series))];
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain: names, range: ['#1f77b4', '#d62728'] },
    legend: { orient: 'bottom' },
  };
  const y = {
    field: 'value',
    type: 'quantitative',
    title,
    scale: { zero: false },
    axis: { format },
  };
  const validation = points.filter((p) => p.kind === 'validation').length;
  return {
    title,
    width,
    height: 220,
    data: { values: points },
    // As the workshop plots them: training as dots ('bo'), validation as a line ('b').
    layer: [
      {
        transform: [{ filter: "datum.kind === 'training'" }],
        mark: { type: 'point', filled: true, size: 45 },
        encoding: { x, y, color },
      },
      {
        transform: [{ filter: "datum.kind === 'validation'" }],
        mark: {
          type: 'line',
          strokeWidth: 2,
          // A single validation value is a dot as large as the training ones.
          point: validation < 2 ? { filled: true, size: 60 } : false,
        },
        encoding: { x, y, color },
      },
    ],
  };
}

/**
 * Training curves as the workshop plots them: accuracy and loss against the epoch, side by side,
 * training as dots and validation as a line, epochs as whole numbers. A panel without data is
 * left out. After a single epoch, with `batches`, the training dots are tenths of that epoch.
 */
export function trainingCurves(
  history: History,
  options: TrainingCurvesOptions = {},
): VegaLiteSpec {
  const epochs = Math.max(
    0,
    ...['loss', 'acc', 'accuracy', 'val_loss', 'val_acc', 'val_accuracy'].map(
      (k) => history[k]?.length ?? 0,
    ),
  );
  const perTenth = epochs <= 1 && (options.batches?.length ?? 0) > 0;
  const batches = options.batches ?? [];
  const training = (values: readonly number[] | undefined, key: 'acc' | 'loss', name: string) => {
    const fromBatches = perTenth ? tenths(batches, key, name) : [];
    return fromBatches.length > 0 ? fromBatches : series(values, name, key, 'training');
  };
  const acc = [
    ...training(history.acc ?? history.accuracy, 'acc', 'Training acc'),
    ...series(history.val_acc ?? history.val_accuracy, 'Validation acc', 'val_acc', 'validation'),
  ];
  const loss = [
    ...training(history.loss, 'loss', 'Training loss'),
    ...series(history.val_loss, 'Validation loss', 'val_loss', 'validation'),
  ];
  const width = options.width ?? 320;
  const panels = [
    ...(acc.length > 0 ? [curve('Accuracy', acc, epochs, width, '.1%')] : []),
    ...(loss.length > 0 ? [curve('Loss', loss, epochs, width, '.2f')] : []),
  ];
  if (panels.length === 0) {
    throw new VizError('history: holds none of acc, val_acc, loss, val_loss', {
      source: 'history',
    });
  }
  return { $schema: SCHEMA, hconcat: panels, resolve: { scale: { color: 'independent' } } };
}

/** One bar per class: its accuracy (0–1). */
export function perClassAccuracy(
  values: ArrayLike<number>,
  classNames: readonly string[],
): VegaLiteSpec {
  if (values.length !== classNames.length) {
    throw new VizError(`classNames: ${classNames.length} names for ${values.length} accuracies`, {
      source: 'classNames',
    });
  }
  return {
    $schema: SCHEMA,
    width: Math.max(200, 24 * classNames.length),
    height: 200,
    data: {
      values: classNames.map((name, i) => ({ class: name, accuracy: values[i] })),
    },
    mark: 'bar',
    encoding: {
      x: { field: 'class', type: 'nominal', sort: null, title: 'Class' },
      y: {
        field: 'accuracy',
        type: 'quantitative',
        title: 'Accuracy',
        scale: { domain: [0, 1] },
        axis: { format: '%' },
      },
      tooltip: [
        { field: 'class', type: 'nominal' },
        { field: 'accuracy', type: 'quantitative', format: '.2%' },
      ],
    },
  };
}

/** A confusion-matrix heatmap (rows: true class, columns: predicted) with the counts written in. */
export interface ConfusionMatrixOptions {
  /** Title of the rows' axis; "True digit" for MNIST. */
  trueTitle?: string;
  /** Title of the columns' axis. */
  predictedTitle?: string;
  /** Side of one cell in pixels. */
  cellSize?: number;
  title?: string;
}

/**
 * A confusion matrix as a labelled heatmap: rows the true class, columns the prediction, the
 * count written in each cell (white on dark cells), and a colour scale of the counts.
 */
export function confusionMatrixChart(
  matrix: readonly (readonly number[])[],
  classNames: readonly string[],
  options: ConfusionMatrixOptions = {},
): VegaLiteSpec {
  const n = classNames.length;
  if (matrix.length !== n || matrix.some((row) => row.length !== n)) {
    throw new VizError(`matrix: expected ${n}×${n} counts, one row and column per class name`, {
      source: 'matrix',
    });
  }
  const values = matrix.flatMap((row, r) =>
    row.map((count, c) => ({ actual: classNames[r], predicted: classNames[c], count })),
  );
  const max = Math.max(0, ...values.map((v) => v.count));
  const axis = (field: string, title: string) => ({
    field,
    type: 'nominal',
    sort: classNames,
    title,
    axis: { labelAngle: 0, labelFontSize: 12, titleFontSize: 13 },
  });
  const side = Math.max(200, (options.cellSize ?? 32) * n);
  return {
    $schema: SCHEMA,
    ...(options.title ? { title: options.title } : {}),
    width: side,
    height: side,
    data: { values },
    encoding: {
      x: axis('predicted', options.predictedTitle ?? 'Predicted class'),
      y: axis('actual', options.trueTitle ?? 'True class'),
    },
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: {
            field: 'count',
            type: 'quantitative',
            title: 'Count',
            scale: { scheme: 'viridis' },
          },
          tooltip: [
            { field: 'actual', title: options.trueTitle ?? 'True class' },
            { field: 'predicted', title: options.predictedTitle ?? 'Predicted class' },
            { field: 'count', type: 'quantitative' },
          ],
        },
      },
      {
        mark: { type: 'text', baseline: 'middle', fontSize: n > 12 ? 9 : 12 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: {
            condition: { test: `datum.count < ${max / 2}`, value: 'white' },
            value: 'black',
          },
        },
      },
    ],
  };
}
