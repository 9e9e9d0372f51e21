// cnnlab transfer: the base CNN on digits 0–4, its frozen convolutions under a new head on 5–9
// from a few examples, against the same CNN from scratch; a figure and the numbers.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cnnlab } from './run-cli.js';
import { svgMarkTexts, svgTexts } from './svg-parts.js';

let tmp = '';
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'cnnlab-cli-transfer-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('cnnlab transfer', () => {
  it('writes the comparison as a figure and JSON, the numbers on stdout', async () => {
    const out = join(tmp, 'small');
    const { code, stdout, stderr } = await cnnlab(
      'transfer',
      '--examples',
      '10,30',
      '--epochs',
      '2',
      '--base-epochs',
      '1',
      '--json',
      '--out',
      out,
    );
    expect(code, stderr).toBe(0);
    // People's lines go to stderr under --json; stdout is the JSON alone.
    expect(stderr).toContain('the CNN learns digits 0–4');
    const result = JSON.parse(stdout);
    expect(JSON.parse(readFileSync(join(out, 'transfer.json'), 'utf8'))).toEqual(result);
    expect(result.sourceClasses).toEqual([0, 1, 2, 3, 4]);
    expect(result.targetClasses).toEqual([5, 6, 7, 8, 9]);
    expect(result.results.map((r: { examplesPerClass: number }) => r.examplesPerClass)).toEqual([
      10, 30,
    ]);
    // The embedded test split: 975 digits 5–9, 1,025 digits 0–4.
    expect([result.testImages, result.base.testImages]).toEqual([975, 1025]);
    expect(result.base.testAccuracy).toBeGreaterThan(0.8);
    for (const run of result.results) {
      expect(run.trainImages).toBe(run.examplesPerClass * 5);
      for (const net of [run.transferred, run.scratch]) {
        expect(net.testAccuracy).toBeGreaterThanOrEqual(0);
        expect(net.testAccuracy).toBeLessThanOrEqual(1);
        expect(net.history.val_acc).toHaveLength(2);
      }
    }
    const svg = readFileSync(join(out, 'transfer.svg'), 'utf8');
    const texts = svgTexts(svg);
    expect(texts).toContain('Transfer learning: digits 5–9 from a few examples');
    expect(texts).toContain('10 examples per class');
    expect(texts).toContain('30 examples per class');
    expect(texts).toContain('Training examples per class');
    // Each of the four accuracies written on its bar, as the JSON has it.
    const written = svgMarkTexts(svg).filter((t) => t.endsWith('%') && !t.startsWith('chance'));
    const expected = result.results.flatMap((r: Record<string, { testAccuracy: number }>) =>
      [r.transferred.testAccuracy, r.scratch.testAccuracy].map((a) => `${(a * 100).toFixed(1)}%`),
    );
    expect(written.sort()).toEqual(expected.sort());
  });

  it('gives the same numbers for the same seed, and prints a table without --json', async () => {
    const args = ['transfer', '--examples', '5', '--epochs', '1', '--base-epochs', '1', '--quiet'];
    const first = await cnnlab(...args, '--out', join(tmp, 'a'));
    const second = await cnnlab(...args, '--out', join(tmp, 'b'));
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /examples\/digit +transferred +from scratch\n +5 +\d+\.\d\d% +\d+\.\d\d%/,
    );
    expect(second.stdout.replace(/\/b\//g, '/a/')).toBe(first.stdout.replace(/\/b\//g, '/a/'));
  });

  it('shows help with examples', async () => {
    const help = await cnnlab('transfer', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('--examples <list>');
    const top = await cnnlab('--help');
    expect(top.stdout).toMatch(/\n {2}transfer /);
  });

  it.each([
    [['--examples', '10,x'], "--examples expects a whole number from 1 to 100,000, got 'x'"],
    [['--examples', '10,10'], '--examples lists a number twice'],
    [['--examples', '0'], '--examples expects a whole number'],
    [['--examples', '5000'], 'images of digit 5; expected at most'],
    [['--epochs', '0'], '--epochs expects a whole number'],
  ])('usage error %j exits 2 with one line and writes nothing', async (args, message) => {
    const out = join(tmp, 'never');
    const { code, stderr } = await cnnlab('transfer', ...args, '--out', out);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });
});
