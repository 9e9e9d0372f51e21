import { VizError } from './errors.js';

/** A Vega-Lite specification, as JSON: render with toSvg (Node) or vega-embed (a page). */
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

interface Point {
  epoch: number;
  value: number;
  series: string;
}

function series(values: readonly number[] | undefined, name: string, key: string): Point[] {
  if (values === undefined) return [];
  if (!Array.isArray(values) || values.some((v) => typeof v !== 'number')) {
    throw new VizError(`history.${key}: expected an array of numbers`, {
      source: `history.${key}`,
    });
  }
  // Epochs count from 1, as Keras prints them and the workshop plots them.
  return values.map((value, i) => ({ epoch: i + 1, value, series: name }));
}

function curve(title: string, points: Point[]): Record<string, unknown> {
  return {
    title,
    width: 320,
    height: 220,
    data: { values: points },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'Epoch', axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', title, scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
}

/**
 * Training curves as the workshop plots them: accuracy (acc, val_acc) and loss (loss,
 * val_loss) against the epoch, side by side; a panel without data is left out.
 */
export function trainingCurves(history: History): VegaLiteSpec {
  const acc = [
    ...series(history.acc ?? history.accuracy, 'Training acc', 'acc'),
    ...series(history.val_acc ?? history.val_accuracy, 'Validation acc', 'val_acc'),
  ];
  const loss = [
    ...series(history.loss, 'Training loss', 'loss'),
    ...series(history.val_loss, 'Validation loss', 'val_loss'),
  ];
  const panels = [
    ...(acc.length > 0 ? [curve('Accuracy', acc)] : []),
    ...(loss.length > 0 ? [curve('Loss', loss)] : []),
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
export function confusionMatrixChart(
  matrix: readonly (readonly number[])[],
  classNames: readonly string[],
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
  });
  return {
    $schema: SCHEMA,
    width: Math.max(160, 28 * n),
    height: Math.max(160, 28 * n),
    data: { values },
    encoding: { x: axis('predicted', 'Predicted'), y: axis('actual', 'True') },
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: { field: 'count', type: 'quantitative', scale: { scheme: 'viridis' } },
        },
      },
      {
        mark: { type: 'text', baseline: 'middle' },
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
