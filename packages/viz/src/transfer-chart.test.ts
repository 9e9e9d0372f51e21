import { describe, expect, it } from 'vitest';
import { byTag, findAll, hasClass, parseSvg, texts } from '../test/svg-parts.js';
import { toSvg } from './chart-svg.js';
import { VizError } from './errors.js';
import { type TransferChartRun, transferChart } from './transfer-chart.js';

const run = (n: number, transferred: number, scratch: number, epochs = 3): TransferChartRun => ({
  examplesPerClass: n,
  transferred: {
    testAccuracy: transferred,
    history: {
      acc: Array.from({ length: epochs }, (_, e) => 0.5 + e * 0.1),
      val_acc: Array.from({ length: epochs }, (_, e) => transferred - (epochs - 1 - e) * 0.05),
    },
  },
  scratch: {
    testAccuracy: scratch,
    history: {
      acc: Array.from({ length: epochs }, (_, e) => 0.3 + e * 0.1),
      val_acc: Array.from({ length: epochs }, (_, e) => scratch - (epochs - 1 - e) * 0.05),
    },
  },
});

/** The children `tag` of every data-mark group of class `markClass`. */
const marks = (svg: string, markClass: string, tag: string) =>
  findAll(
    parseSvg(svg),
    (e) => e.tag === 'g' && hasClass(e, markClass) && hasClass(e, 'role-mark'),
  ).flatMap((g) => g.children.filter((c) => c.tag === tag));

describe('transferChart', () => {
  it('draws a bar per network and count, its value written on it, and a panel of curves per count', async () => {
    const svg = await toSvg(
      transferChart([run(10, 0.84, 0.45), run(30, 0.894, 0.764)], {
        title: 'Transfer learning',
        subtitle: ['first line', 'second line'],
        classes: 'digits 5–9',
        chance: 0.2,
      }),
    );
    const root = parseSvg(svg);
    const titles = byTag(root, 'g', 'role-title-text').flatMap((g) => texts(g));
    // Vega writes the titles in its own order: as sets.
    expect(titles.sort()).toEqual(
      [
        'Transfer learning',
        'Test accuracy on digits 5–9',
        'Accuracy per epoch on digits 5–9',
        '10 examples per class',
        '30 examples per class',
      ].sort(),
    );
    // A subtitle of two lines is one text of two <tspan>s; Vega's aria-label holds both.
    expect(svg).toContain("Subtitle text 'first line second line'");
    expect(svg).toContain('dots: the few training examples · line: the test images');
    // Two bars per count, and each value written (the chance label is a text mark too).
    expect(marks(svg, 'mark-rect', 'path')).toHaveLength(4);
    const written = marks(svg, 'mark-text', 'text').map((t) => t.text);
    expect(written.sort()).toEqual(['45.0%', '76.4%', '84.0%', '89.4%', 'chance (20%)'].sort());
    // A test line per network in each panel, and a training dot per epoch and network.
    expect(marks(svg, 'mark-line', 'path')).toHaveLength(4);
    expect(marks(svg, 'mark-symbol', 'path')).toHaveLength(2 * 2 * 3);
    expect(byTag(root, 'g', 'role-legend-label').flatMap((g) => texts(g))).toEqual([
      'Transferred: frozen base, new head',
      'From scratch',
    ]);
  });

  it('shows one epoch as dots, not invisible lines', async () => {
    const svg = await toSvg(transferChart([run(10, 0.6, 0.3, 1)]));
    // Training dots (2) and a point on each one-point test line (2).
    expect(marks(svg, 'mark-symbol', 'path')).toHaveLength(4);
  });

  it('names what is wrong with its input', () => {
    expect(() => transferChart([])).toThrow(VizError);
    expect(() => transferChart([run(0, 0.5, 0.5)])).toThrow(/runs\[0\].examplesPerClass is 0/);
    expect(() => transferChart([run(10, 1.5, 0.5)])).toThrow(
      /runs\[0\].transferred.testAccuracy is 1.5; expected an accuracy from 0 to 1/,
    );
    const bad = run(10, 0.5, 0.5);
    (bad.scratch.history as Record<string, unknown>).val_acc = ['x'];
    expect(() => transferChart([bad])).toThrow(/runs\[0\].scratch.history.val_acc/);
    expect(() => transferChart([run(10, 0.5, 0.5)], { chance: 2 })).toThrow(/chance is 2/);
  });
});
