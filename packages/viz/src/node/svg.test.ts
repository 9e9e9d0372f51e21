import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { confusionMatrixChart, perClassAccuracy, trainingCurves } from '../charts.js';
import { VizError } from '../errors.js';
import { toSvg, writeSvg } from './svg.js';

const dir = mkdtempSync(join(tmpdir(), 'cnnlab-viz-svg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Node = Record<string, unknown>;

/** The children named `tag` of every data-mark <g> of class `markClass`, in document order. */
function marks(svg: string, markClass: string, tag: string): Node[] {
  expect(XMLValidator.validate(svg)).toBe(true);
  const root = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(svg);
  const found: Node[] = [];
  const list = (value: unknown): Node[] =>
    value === undefined ? [] : Array.isArray(value) ? value : [value as Node];
  const walk = (node: unknown) => {
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith('@')) continue;
      for (const child of list(value)) {
        const classes = String(child['@class'] ?? '').split(' ');
        // role-mark: the data's own marks, not legend symbols or axis ticks.
        if (key === 'g' && classes.includes(markClass) && classes.includes('role-mark')) {
          found.push(...list(child[tag]));
        }
        walk(child);
      }
    }
  };
  walk(root);
  return found;
}

const history = {
  acc: [0.9, 0.95, 0.97, 0.98, 0.985],
  val_acc: [0.93, 0.96, 0.975, 0.978, 0.981],
  loss: [0.35, 0.15, 0.1, 0.07, 0.05],
  val_loss: [0.22, 0.13, 0.09, 0.08, 0.07],
};

describe('toSvg', () => {
  it('renders training curves with one symbol per epoch and series', async () => {
    const svg = await toSvg(trainingCurves(history));
    const points = marks(svg, 'mark-symbol', 'path');
    // Two panels, two series each, five epochs.
    expect(points).toHaveLength(20);
    // Every point sits at its own position: none drawn twice, none dropped.
    const positions = new Set(points.map((p) => `${p['@transform']}`));
    expect(positions.size).toBe(20);
    expect(svg).toContain('Validation acc');
  });

  it('drops a point when the history is one epoch shorter', async () => {
    const short = { ...history, val_loss: history.val_loss.slice(0, 4) };
    const svg = await toSvg(trainingCurves(short));
    expect(marks(svg, 'mark-symbol', 'path')).toHaveLength(19);
  });

  it('renders per-class accuracy as one bar per class', async () => {
    const svg = await toSvg(perClassAccuracy([0.9, 0.8, 0.99], ['A', 'B', 'V']));
    expect(marks(svg, 'mark-rect', 'path')).toHaveLength(3);
  });

  it('renders a confusion matrix with every count written in', async () => {
    const matrix = [
      [50, 2, 1],
      [3, 40, 7],
      [0, 4, 60],
    ];
    const svg = await toSvg(confusionMatrixChart(matrix, ['A', 'B', 'V']));
    expect(marks(svg, 'mark-rect', 'path')).toHaveLength(9);
    const texts = marks(svg, 'mark-text', 'text').map((t) =>
      String(typeof t === 'object' ? t['#text'] : t),
    );
    expect(texts.map(Number).sort((a, b) => a - b)).toEqual(matrix.flat().sort((a, b) => a - b));
  });

  it('writeSvg writes the file, and names the path it cannot write', async () => {
    const file = join(dir, 'curves.svg');
    await writeSvg(trainingCurves(history), file);
    expect(readFileSync(file, 'utf8')).toMatch(/^<svg/);
    const bad = join(dir, 'nope', 'curves.svg');
    await expect(writeSvg(trainingCurves(history), bad)).rejects.toThrow(VizError);
    await expect(writeSvg(trainingCurves(history), bad)).rejects.toThrow(bad);
  });

  it('rejects an empty history', () => {
    expect(() => trainingCurves({})).toThrow(VizError);
  });
});
