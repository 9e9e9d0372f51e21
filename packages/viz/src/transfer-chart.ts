import type { History, VegaLiteSpec } from './charts.js';
import { VizError } from './errors.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** One network of a transfer comparison: its final test accuracy and its history per epoch. */
export interface TransferChartNetwork {
  testAccuracy: number;
  /** Keras's history: `acc` (training) and `val_acc` (the test images) per epoch. */
  history: History;
}

/** The two networks trained on the same few examples, as @cnnlab/trainer's transferExperiment gives them. */
export interface TransferChartRun {
  examplesPerClass: number;
  transferred: TransferChartNetwork;
  scratch: TransferChartNetwork;
}

export interface TransferChartOptions {
  /** Over the whole chart. */
  title?: string;
  /** A line, or lines, under the title (the base network's accuracy, say). */
  subtitle?: string | readonly string[];
  /** Accuracy of guessing, drawn as a dashed rule on the bars (1 / classes); none by default. */
  chance?: number;
  /** What the target classes are called on the axes; default 'the new classes'. */
  classes?: string;
  /** Width of each curve panel in pixels. Default 220. */
  width?: number;
}

/** The series' names and colours: the same in the bars, the curves and the legends. */
const TRANSFERRED = 'Transferred: frozen base, new head';
const SCRATCH = 'From scratch';
const COLOR = {
  field: 'network',
  type: 'nominal',
  title: null,
  scale: { domain: [TRANSFERRED, SCRATCH], range: ['#1f77b4', '#d62728'] },
  legend: { orient: 'top', labelLimit: 400, labelFontSize: 12, symbolType: 'square' },
};

function checkAccuracy(value: unknown, source: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new VizError(`${source} is ${String(value)}; expected an accuracy from 0 to 1`, {
      source,
    });
  }
  return value;
}

function checkSeries(values: unknown, source: string): readonly number[] {
  if (!Array.isArray(values) || values.some((v) => typeof v !== 'number')) {
    throw new VizError(`${source}: expected an array of numbers, one per epoch`, { source });
  }
  return values;
}

/**
 * Transfer learning against training from scratch, as a class would want to see it: on top, the
 * test accuracy of both networks for each number of training examples per class (grouped bars,
 * the value written on each); below, one panel per number of examples with both networks'
 * accuracy per epoch, training as dots and the test images as a line, as the workshop plots them.
 */
export function transferChart(
  runs: readonly TransferChartRun[],
  options: TransferChartOptions = {},
): VegaLiteSpec {
  if (!Array.isArray(runs) || runs.length === 0) {
    throw new VizError('runs: expected at least one comparison of transferred and scratch', {
      source: 'runs',
    });
  }
  const classes = options.classes ?? 'the new classes';
  const bars: Record<string, unknown>[] = [];
  const panels: Record<string, unknown>[] = [];
  for (const [i, run] of runs.entries()) {
    const n = run?.examplesPerClass;
    if (!Number.isInteger(n) || n < 1) {
      throw new VizError(`runs[${i}].examplesPerClass is ${n}; expected an integer >= 1`, {
        source: `runs[${i}].examplesPerClass`,
      });
    }
    const points: Record<string, unknown>[] = [];
    let epochs = 0;
    for (const [key, network] of [
      ['transferred', TRANSFERRED],
      ['scratch', SCRATCH],
    ] as const) {
      const source = `runs[${i}].${key}`;
      const accuracy = checkAccuracy(run[key]?.testAccuracy, `${source}.testAccuracy`);
      bars.push({ examples: n, network, accuracy });
      const history = run[key].history ?? {};
      const test = checkSeries(
        history.val_acc ?? history.val_accuracy ?? [],
        `${source}.history.val_acc`,
      );
      const training = checkSeries(history.acc ?? history.accuracy ?? [], `${source}.history.acc`);
      epochs = Math.max(epochs, test.length, training.length);
      // Epochs count from 1, as Keras prints them.
      for (const [e, value] of training.entries())
        points.push({ epoch: e + 1, value, network, kind: 'training' });
      for (const [e, value] of test.entries())
        points.push({ epoch: e + 1, value, network, kind: 'test' });
    }
    if (points.length === 0) continue;
    const x = {
      field: 'epoch',
      type: 'quantitative',
      title: 'Epoch',
      scale: { domain: [1, Math.max(2, epochs)], nice: false, padding: 8 },
      axis: { format: 'd', tickMinStep: 1 },
    };
    const y = {
      field: 'value',
      type: 'quantitative',
      title: i === 0 ? 'Accuracy' : null,
      scale: { domain: [0, 1] },
      axis: { format: '.0%' },
    };
    panels.push({
      title: `${n} example${n === 1 ? '' : 's'} per class`,
      width: options.width ?? 220,
      height: 180,
      data: { values: points },
      layer: [
        {
          transform: [{ filter: "datum.kind === 'training'" }],
          mark: { type: 'point', filled: true, size: 30, opacity: 0.7 },
          encoding: { x, y, color: COLOR },
        },
        {
          transform: [{ filter: "datum.kind === 'test'" }],
          // One epoch gives one test value: a dot, not an invisible line.
          mark: { type: 'line', strokeWidth: 2, point: epochs < 2 ? { size: 50 } : false },
          encoding: { x, y, color: COLOR },
        },
      ],
    });
  }
  const value = { field: 'accuracy', type: 'quantitative' };
  // Each layer has its own encoding: the chance rule must not inherit the bars' x.
  const x = {
    field: 'examples',
    type: 'ordinal',
    title: 'Training examples per class',
    sort: null,
    axis: { labelAngle: 0 },
  };
  const xOffset = { field: 'network', sort: [TRANSFERRED, SCRATCH] };
  const y = {
    ...value,
    title: 'Test accuracy',
    scale: { domain: [0, 1] },
    axis: { format: '.0%' },
  };
  const chance = options.chance === undefined ? undefined : checkAccuracy(options.chance, 'chance');
  const barChart = {
    title: `Test accuracy on ${classes}`,
    width: Math.max(320, 150 * runs.length),
    height: 220,
    layer: [
      { data: { values: bars }, mark: 'bar', encoding: { x, xOffset, y, color: COLOR } },
      {
        data: { values: bars },
        mark: { type: 'text', dy: -6, fontSize: 11 },
        encoding: { x, xOffset, y, text: { ...value, format: '.1%' }, color: { value: '#222' } },
      },
      ...(chance === undefined
        ? []
        : [
            {
              data: { values: [{ chance, label: `chance (${Math.round(chance * 100)}%)` }] },
              mark: { type: 'rule', strokeDash: [4, 4], color: '#777' },
              encoding: { y: { field: 'chance', type: 'quantitative' } },
            },
            {
              data: { values: [{ chance, label: `chance (${Math.round(chance * 100)}%)` }] },
              // In the margin right of the plot, where no bar hides it.
              mark: {
                type: 'text',
                align: 'left',
                baseline: 'middle',
                x: 'width',
                dx: 4,
                color: '#555',
              },
              encoding: {
                y: { field: 'chance', type: 'quantitative' },
                text: { field: 'label' },
              },
            },
          ]),
    ],
  };
  const curves = {
    title: {
      text: `Accuracy per epoch on ${classes}`,
      subtitle: 'dots: the few training examples · line: the test images',
    },
    hconcat: panels,
  };
  return {
    $schema: SCHEMA,
    ...(options.title
      ? {
          title: {
            text: options.title,
            ...(options.subtitle ? { subtitle: options.subtitle } : {}),
          },
        }
      : {}),
    vconcat: panels.length > 0 ? [barChart, curves] : [barChart],
    config: { concat: { spacing: 28 }, legend: { labelLimit: 400 } },
  };
}
