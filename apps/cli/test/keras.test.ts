// cnnlab export and import: a trained model out to Keras's files and back, with the same
// predictions; Keras files written by h5py (the models package's reference writer) come in.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPython } from '../../../tests/python.js';
import { cnnlab } from './run-cli.js';

const reference = fileURLToPath(
  new URL('../../../packages/models/test/keras_reference.py', import.meta.url),
);
const python = findPython('h5py, numpy');
if (!python) console.warn('Keras-file fixtures skipped: no python3 with h5py (python3-h5py)');

let tmp = '';
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'cnnlab-cli-keras-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const json = (stdout: string) => JSON.parse(stdout);

describe('cnnlab export and import', () => {
  it('round-trips a trained CNN through .keras and .h5 with the same test accuracy', async () => {
    const modelDir = join(tmp, 'cnn');
    const trained = await cnnlab(
      'train',
      '--model',
      'cnn',
      '--epochs',
      '1',
      '--limit',
      '1000',
      '--seed',
      '2',
      '--quiet',
      '--out',
      modelDir,
    );
    expect(trained.code).toBe(0);
    const scored = await cnnlab(
      'evaluate',
      '--model-dir',
      modelDir,
      '--limit',
      '500',
      '--json',
      '--quiet',
    );
    const accuracy = json(scored.stdout).accuracy;
    expect(accuracy).toBeGreaterThan(0.3);
    for (const name of ['cnn.keras', 'cnn.h5']) {
      const file = join(tmp, name);
      const exported = await cnnlab(
        'export',
        '--model-dir',
        modelDir,
        '--out',
        file,
        '--json',
        '--quiet',
      );
      expect(exported.code).toBe(0);
      expect(json(exported.stdout)).toMatchObject({
        format: name.endsWith('.keras') ? 'keras' : 'h5',
      });
      expect(json(exported.stdout).bytes).toBe(readFileSync(file).length);
      const back = join(tmp, `back-${name}`);
      const imported = await cnnlab('import', file, '--out', back, '--quiet', '--json');
      expect(imported.code).toBe(0);
      expect(json(imported.stdout).inputShape).toEqual([null, 28, 28, 1]);
      const again = await cnnlab(
        'evaluate',
        '--model-dir',
        back,
        '--limit',
        '500',
        '--json',
        '--quiet',
      );
      expect(json(again.stdout).accuracy).toBe(accuracy);
    }
  });

  it.skipIf(!python)('imports a Keras-layout file that h5py wrote, with class names', async () => {
    const fixtures = join(tmp, 'fixtures');
    mkdirSync(fixtures, { recursive: true });
    execFileSync(python as string, [reference, 'fixtures', fixtures]);
    const out = join(tmp, 'from-keras');
    const imported = await cnnlab(
      'import',
      join(fixtures, 'keras3-functional.keras'),
      '--out',
      out,
      '--classes',
      '0,1,2,3,4',
      '--class-names',
      'a,b,c,d,e',
      '--json',
      '--quiet',
    );
    expect(imported.code).toBe(0);
    expect(json(imported.stdout)).toMatchObject({
      inputShape: [null, 8, 8, 1],
      classNames: ['a', 'b', 'c', 'd', 'e'],
    });
    const record = JSON.parse(readFileSync(join(out, 'cnnlab.json'), 'utf8'));
    expect(record).toMatchObject({
      model: 'keras',
      dataset: 'mnist',
      classNames: ['a', 'b', 'c', 'd', 'e'],
    });
  });

  it('refuses bad files and names in one line, leaving nothing behind', async () => {
    const garbage = join(tmp, 'notes.h5');
    writeFileSync(garbage, 'hello\n');
    // A download cut short: the first 2,000 bytes of a real export (the first test's).
    const cut = join(tmp, 'cut.h5');
    writeFileSync(cut, readFileSync(join(tmp, 'cnn.h5')).subarray(0, 2000));
    const cases: [string[], RegExp, number][] = [
      [['import', garbage, '--out', join(tmp, 'x1')], /notes\.h5 is not an HDF5 file/, 1],
      [
        ['import', join(tmp, 'none.keras'), '--out', join(tmp, 'x2')],
        /cannot read .*none\.keras/,
        1,
      ],
      [
        ['export', '--model-dir', join(tmp, 'cnn'), '--out', join(tmp, 'm.json')],
        /expected a name ending in \.keras/,
        2,
      ],
      [
        ['export', '--model-dir', join(tmp, 'nothing'), '--out', join(tmp, 'm.keras')],
        /is not a model folder/,
        1,
      ],
    ];
    for (const [args, message, code] of cases) {
      const result = await cnnlab(...args);
      expect(result.code).toBe(code);
      const lines = result.stderr
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('backend:'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
    }
    expect(existsSync(join(tmp, 'x1'))).toBe(false);
    expect(existsSync(join(tmp, 'x3'))).toBe(false);
    expect(readdirSync(tmp).some((name) => name.endsWith('.tmp'))).toBe(false);
  });
});
