import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { byTag, type El, findAll, hasClass, parseSvg, texts } from '../../test/svg-parts.js';
import { toSvg } from '../chart-svg.js';
import {
  type BatchLog,
  confusionMatrixChart,
  perClassAccuracy,
  trainingCurves,
} from '../charts.js';
import { VizError } from '../errors.js';
import { writeSvg } from './svg.js';

const dir = mkdtempSync(join(tmpdir(), 'cnnlab-viz-svg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The children `tag` of every data-mark group of class `markClass` (not legends or axes). */
function marks(root: El, markClass: string, tag: string): El[] {
  return findAll(
    root,
    (e) => e.tag === 'g' && hasClass(e, markClass) && hasClass(e, 'role-mark'),
  ).flatMap((g) => g.children.filter((c) => c.tag === tag));
}

/** Marks of one series, read from the aria-label Vega gives each ('…; series: Training acc'). */
const ofSeries = (list: El[], series: string) =>
  list.filter((e) => (e.attrs['aria-label'] ?? '').endsWith(`series: ${series}`));

/** A symbol's position, from its transform="translate(x,y)". */
function position(el: El): [number, number] {
  const m = /translate\(([-\d.e]+),([-\d.e]+)\)/.exec(el.attrs.transform ?? '');
  if (!m) throw new Error(`no translate in ${el.attrs.transform}`);
  return [Number(m[1]), Number(m[2])];
}

/** The axes whose aria-label starts with 'X-axis' (or 'Y-axis'): their labels and title. */
function axes(root: El, which: 'X' | 'Y') {
  return findAll(
    root,
    (e) => hasClass(e, 'role-axis') && (e.attrs['aria-label'] ?? '').startsWith(`${which}-axis`),
  ).map((axis) => ({
    labels: byTag(axis, 'g', 'role-axis-label').flatMap((g) => texts(g)),
    title: byTag(axis, 'g', 'role-axis-title').flatMap((g) => texts(g)),
  }));
}

/** Throws unless the points lie on one line coord = a + b·value (b ≠ 0): drawn to scale. */
function expectLinear(values: number[], coords: number[]) {
  expect(values.length).toBe(coords.length);
  const i = values.indexOf(Math.min(...values));
  const j = values.indexOf(Math.max(...values));
  const b =
    ((coords[j] as number) - (coords[i] as number)) /
    ((values[j] as number) - (values[i] as number));
  expect(Math.abs(b)).toBeGreaterThan(0);
  for (const [k, v] of values.entries()) {
    expect(coords[k]).toBeCloseTo((coords[i] as number) + b * (v - (values[i] as number)), 2);
  }
  return b;
}

const history = {
  acc: [0.9, 0.95, 0.97, 0.98, 0.985],
  val_acc: [0.93, 0.96, 0.975, 0.978, 0.981],
  loss: [0.35, 0.15, 0.1, 0.07, 0.05],
  val_loss: [0.22, 0.13, 0.09, 0.08, 0.07],
};

describe('toSvg of trainingCurves', () => {
  it('draws training as one symbol per epoch and validation as a line', async () => {
    const root = parseSvg(await toSvg(trainingCurves(history)));
    const points = marks(root, 'mark-symbol', 'path');
    // acc and loss × 5 training epochs; validation has no symbols.
    expect(points).toHaveLength(10);
    expect(ofSeries(points, 'Training acc')).toHaveLength(5);
    expect(ofSeries(points, 'Training loss')).toHaveLength(5);
    expect(ofSeries(points, 'Validation acc')).toHaveLength(0);
    expect(new Set(points.map((p) => p.attrs.transform)).size).toBe(10);
    // Training points at their values: y linear in the value, higher values drawn higher.
    for (const [name, values] of [
      ['Training acc', history.acc],
      ['Training loss', history.loss],
    ] as const) {
      const at = ofSeries(points, name).map(position);
      expect(
        expectLinear(
          [...values],
          at.map((p) => p[1]),
        ),
      ).toBeLessThan(0);
      expectLinear(
        [1, 2, 3, 4, 5],
        at.map((p) => p[0]),
      );
    }
    const lines = marks(root, 'mark-line', 'path');
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => l.attrs['aria-label']?.split('series: ')[1])).toEqual([
      'Validation acc',
      'Validation loss',
    ]);
    for (const line of lines) {
      // M then four L: one vertex per validation epoch.
      expect(line.attrs.d?.match(/[ML]/g)).toHaveLength(5);
      expect(line.attrs.stroke).toBe('#d62728');
    }
  });

  it('labels the epochs with whole numbers only, under the title Epoch', async () => {
    const root = parseSvg(await toSvg(trainingCurves(history)));
    const x = axes(root, 'X');
    expect(x).toHaveLength(2);
    for (const axis of x) {
      expect(axis.title).toEqual(['Epoch']);
      expect(axis.labels).toEqual(['1', '2', '3', '4', '5']);
      for (const label of axis.labels) expect(label).toMatch(/^\d+$/);
    }
    expect(axes(root, 'Y').map((a) => a.title)).toEqual([['Accuracy'], ['Loss']]);
    expect(texts(root)).toContain('Validation acc');
  });

  it('keeps whole-number epochs for two epochs, where ticks at halves would fit', async () => {
    const root = parseSvg(await toSvg(trainingCurves({ acc: [0.5, 0.6], val_acc: [0.55, 0.7] })));
    const [axis] = axes(root, 'X');
    expect(axis?.labels).toEqual(['1', '2']);
  });

  it('draws one vertex fewer when validation is one epoch shorter', async () => {
    const short = { ...history, val_loss: history.val_loss.slice(0, 4) };
    const root = parseSvg(await toSvg(trainingCurves(short)));
    expect(marks(root, 'mark-symbol', 'path')).toHaveLength(10);
    const loss = ofSeries(marks(root, 'mark-line', 'path'), 'Validation loss');
    expect(loss[0]?.attrs.d?.match(/[ML]/g)).toHaveLength(4);
  });

  it('after a single epoch, draws training as tenths of its batches and validation as a point', async () => {
    // 125 batches: bins of 12 or 13 (boundaries ⌊t·125/10⌋).
    const batches: BatchLog[] = Array.from({ length: 125 }, (_, b) => ({
      epoch: 0,
      batch: b,
      loss: 2.3 * Math.exp(-b / 40) + 0.05 * Math.sin(b),
      acc: Math.min(0.99, 0.1 + b / 140 + 0.01 * Math.cos(b)),
    }));
    // A later epoch's batches are not part of the first epoch's tenths.
    batches.push({ epoch: 1, batch: 0, loss: 99, acc: -5 });
    const means = (key: 'loss' | 'acc') => {
      const first = batches.filter((b) => b.epoch === 0);
      const out: number[] = [];
      for (let t = 0; t < 10; t++) {
        const part = first.slice(Math.floor((t * 125) / 10), Math.floor(((t + 1) * 125) / 10));
        out.push(part.reduce((s, b) => s + (b[key] as number), 0) / part.length);
      }
      return out;
    };
    const epoch = { acc: [0.7], loss: [1.1], val_acc: [0.8], val_loss: [0.6] };
    const spec = trainingCurves(epoch, { batches });
    const panels = spec.hconcat as {
      data: { values: { epoch: number; value: number; kind: string }[] };
    }[];
    for (const [p, key] of [
      [0, 'acc'],
      [1, 'loss'],
    ] as const) {
      const training = panels[p]?.data.values.filter((v) => v.kind === 'training') ?? [];
      expect(training.map((v) => v.epoch)).toEqual([
        0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1,
      ]);
      const expected = means(key);
      for (const [i, v] of training.entries())
        expect(v.value).toBeCloseTo(expected[i] as number, 12);
    }

    const root = parseSvg(await toSvg(spec));
    const points = marks(root, 'mark-symbol', 'path');
    for (const [name, key] of [
      ['Training acc', 'acc'],
      ['Training loss', 'loss'],
    ] as const) {
      const at = ofSeries(points, name).map(position);
      expect(at).toHaveLength(10);
      // Drawn where the means are: y linear in them, x linear in 0.1…1.0.
      expectLinear(
        means(key),
        at.map((q) => q[1]),
      );
      expectLinear(
        [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
        at.map((q) => q[0]),
      );
    }
    const trainingRadius = Number(/^M([\d.]+),0A/.exec(points[0]?.attrs.d ?? '')?.[1]);
    for (const [name, label] of [
      ['Validation acc', 'Accuracy: 80.0%'],
      ['Validation loss', 'Loss: 0.60'],
    ] as const) {
      const [point] = ofSeries(points, name);
      expect(point).toBeDefined();
      expect(point?.attrs['aria-label']).toContain(label);
      expect(point?.attrs.fill).toBe('#d62728');
      expect(Number(point?.attrs.opacity ?? 1)).toBeGreaterThan(0);
      // A circle at least as large as the training dots, at the epoch's end: the panel's width
      // less the scale's 8 px padding, which keeps the last dots inside the plot.
      const radius = Number(/^M([\d.]+),0A/.exec(point?.attrs.d ?? '')?.[1]);
      expect(radius).toBeGreaterThanOrEqual(trainingRadius);
      expect(trainingRadius).toBeGreaterThan(3);
      expect(position(point as El)[0]).toBe(320 - 8);
    }
    for (const axis of axes(root, 'X')) {
      expect(axis.labels).toContain('0.5');
      expect(axis.labels).toContain('1.0');
    }
  });

  it('rejects an empty history', () => {
    expect(() => trainingCurves({})).toThrow(VizError);
  });
});

describe('toSvg of other charts', () => {
  it('renders per-class accuracy as one bar per class', async () => {
    const root = parseSvg(await toSvg(perClassAccuracy([0.9, 0.8, 0.99], ['A', 'B', 'V'])));
    expect(marks(root, 'mark-rect', 'path')).toHaveLength(3);
    expect(axes(root, 'X')[0]?.labels).toEqual(['A', 'B', 'V']);
  });

  it('renders a confusion matrix with its axis titles, class names, counts and legend', async () => {
    const matrix = [
      [50, 2, 1],
      [3, 40, 7],
      [0, 4, 60],
    ];
    const root = parseSvg(
      await toSvg(
        confusionMatrixChart(matrix, ['A', 'B', 'V'], {
          trueTitle: 'True digit',
          predictedTitle: 'Predicted digit',
        }),
      ),
    );
    expect(marks(root, 'mark-rect', 'path')).toHaveLength(9);
    const counts = marks(root, 'mark-text', 'text').map((t) => t.text);
    expect(counts.map(Number).sort((a, b) => a - b)).toEqual(matrix.flat().sort((a, b) => a - b));
    expect(axes(root, 'X')[0]).toEqual({ labels: ['A', 'B', 'V'], title: ['Predicted digit'] });
    expect(axes(root, 'Y')[0]).toEqual({ labels: ['A', 'B', 'V'], title: ['True digit'] });
    const legendTitles = byTag(root, 'g', 'role-legend-title').flatMap((g) => texts(g));
    expect(legendTitles).toEqual(['Count']);
  });

  it('writeSvg writes the file, and names the path it cannot write', async () => {
    const file = join(dir, 'curves.svg');
    await writeSvg(trainingCurves(history), file);
    const root = parseSvg(readFileSync(file, 'utf8'));
    expect(marks(root, 'mark-symbol', 'path')).toHaveLength(10);
    const bad = join(dir, 'nope', 'curves.svg');
    await expect(writeSvg(trainingCurves(history), bad)).rejects.toThrow(VizError);
    await expect(writeSvg(trainingCurves(history), bad)).rejects.toThrow(bad);
  });
});

describe('trainingCurves of an epoch of few batches', () => {
  it('draws each batch, and says so on the axis', async () => {
    const batches = [0.9, 0.7, 0.5, 0.4].map((loss, batch) => ({ epoch: 0, batch, loss }));
    const svg = await toSvg(trainingCurves({ loss: [0.6], val_loss: [0.5] }, { batches }));
    expect(svg).toContain('Epoch (training: each batch)');
    expect(svg).not.toContain('mean of each tenth');
  });
});
