import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { META_KEY, recordedDataDir } from '../src/model-dir.js';
import { type CliResult, cnnlab, cnnlabWith } from './run-cli.js';

const linux = process.platform === 'linux';
let tmp = '';
let trained = '';
let rssHook = '';

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cnnlab-model-faults-'));
  // Each child writes its peak resident memory (kB) where CNNLAB_TEST_RSS_FILE says, at exit.
  rssHook = join(tmp, 'rss-hook.mjs');
  writeFileSync(
    rssHook,
    `import { writeFileSync } from 'node:fs';
process.on('exit', () => writeFileSync(process.env.CNNLAB_TEST_RSS_FILE, String(process.resourceUsage().maxRSS)));
`,
  );
  trained = join(tmp, 'dense');
  const result = await cnnlab(
    'train',
    '--model',
    'dense',
    '--epochs',
    '1',
    '--limit',
    '200',
    '--quiet',
    '--out',
    trained,
  );
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `cnnlab ...args` with its peak RSS in MiB. */
async function measured(...args: string[]): Promise<CliResult & { peakMiB: number }> {
  const file = join(tmp, `rss-${Math.random().toString(36).slice(2)}`);
  const result = await cnnlabWith(
    {
      env: {
        CNNLAB_TEST_RSS_FILE: file,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(rssHook).href}`,
      },
    },
    ...args,
  );
  return { ...result, peakMiB: Number(readFileSync(file, 'utf8')) / 1024 };
}

interface ModelJson {
  weightsManifest: { paths: string[] }[];
  userDefinedMetadata: Record<string, Record<string, unknown>>;
}

function modelJson(dir: string): ModelJson {
  return JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
}

/** A copy of the trained folder whose model.json names `paths` for its weights. */
function copyNaming(name: string, paths: string[]): string {
  const dir = join(tmp, name);
  cpSync(trained, dir, { recursive: true });
  const json = modelJson(dir);
  json.weightsManifest[0].paths = paths;
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  return dir;
}

function weightsFile(dir: string): string {
  return modelJson(dir).weightsManifest[0]?.paths[0] ?? '';
}

/** Exit 1 with one line on stderr matching `message`, and no more than 300 MiB at its peak (about 90 here). */
async function expectRefused(dir: string, message: RegExp): Promise<void> {
  const result = await measured('evaluate', '--quiet', '--model-dir', dir);
  expect(result.code).toBe(1);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(
    new RegExp(`^cnnlab: cannot load the model in .*${message.source}`),
  );
  expect(result.peakMiB).toBeLessThan(300);
}

describe('a model folder keeps to itself', () => {
  it('saves the record inside model.json, with cnnlab.json a copy and no scratch left', () => {
    const record = modelJson(trained).userDefinedMetadata[META_KEY];
    expect(record).toMatchObject({ model: 'dense', dataset: 'mnist', limit: 200 });
    expect(JSON.parse(readFileSync(join(trained, 'cnnlab.json'), 'utf8'))).toEqual(record);
    expect(readdirSync(trained).sort()).toEqual(
      ['cnnlab.json', 'curves.svg', 'model.json', weightsFile(trained)].sort(),
    );
    expect(weightsFile(trained)).toMatch(/^weights\.[0-9a-f]{16}\.bin$/);
  });

  it('evaluate refuses weights named by an absolute path or one climbing out', async () => {
    const outside = join(tmp, 'outside.bin');
    cpSync(join(trained, weightsFile(trained)), outside);
    await expectRefused(copyNaming('absolute', [outside]), /an absolute path; expected a path/);
    await expectRefused(copyNaming('climbing', ['../outside.bin']), /climbs out with/);
  });

  it.skipIf(!linux)(
    'evaluate refuses /dev/zero as weights, named or linked, in bounded memory',
    async () => {
      await expectRefused(copyNaming('zero-named', ['/dev/zero']), /an absolute path/);
      const linked = copyNaming('zero-linked', ['zero.bin']);
      symlinkSync('/dev/zero', join(linked, 'zero.bin'));
      await expectRefused(linked, /zero\.bin named in .* leads to \/dev\/zero, outside/);
      const json = join(tmp, 'zero-json');
      mkdirSync(json);
      symlinkSync('/dev/zero', join(json, 'model.json'));
      await expectRefused(json, /model\.json leads to \/dev\/zero, outside/);
    },
  );

  it.skipIf(!linux)(
    'evaluate refuses a named pipe as weights at once, and a short file',
    async () => {
      const pipe = copyNaming('pipe', ['pipe.bin']);
      execFileSync('mkfifo', [join(pipe, 'pipe.bin')]);
      await expectRefused(pipe, /pipe\.bin named in .* is a named pipe; expected a regular file/);
      const short = copyNaming('short', [weightsFile(trained)]);
      truncateSync(join(short, weightsFile(trained)), 1000);
      await expectRefused(short, /holds 1000 bytes; model\.json declares \d+ bytes/);
    },
  );

  it('refuses a corrupt record in model.json in one line', async () => {
    const dir = join(tmp, 'bogus-record');
    cpSync(trained, dir, { recursive: true });
    const json = modelJson(dir);
    json.userDefinedMetadata[META_KEY].dataset = 'bogus';
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    const result = await cnnlab('evaluate', '--quiet', '--model-dir', dir);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(
      `model.json (userDefinedMetadata.cnnlab) is corrupt: unknown dataset 'bogus'`,
    );
  });

  it('a save into the folder removes what saves killed there left', async () => {
    const dir = join(tmp, 'resaved');
    cpSync(trained, dir, { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
    mkdirSync(join(dir, `.saving-${dead}`));
    writeFileSync(join(dir, `.saving-${dead}`, 'weights.bin'), 'old scratch');
    writeFileSync(join(dir, `.cnnlab-save.${dead}.0badc0de.weights`), 'scratch');
    writeFileSync(join(dir, 'weights.0123456789abcdef.bin'), 'orphan');
    const result = await cnnlab(
      'train',
      '--model',
      'dense',
      '--epochs',
      '1',
      '--limit',
      '100',
      '--quiet',
      '--out',
      dir,
    );
    expect(result.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(
      ['cnnlab.json', 'curves.svg', 'model.json', weightsFile(dir)].sort(),
    );
    expect(modelJson(dir).userDefinedMetadata[META_KEY].limit).toBe(100);
  });
});

describe("the record's dataDir is checked as --data-dir is", () => {
  const record = '/m/model.json (userDefinedMetadata.cnnlab)';
  const named = (dataDir?: string) => ({
    record,
    meta: { model: 'dense', dataset: 'mnist', classNames: [], ...(dataDir ? { dataDir } : {}) },
  });

  it('passes a readable folder, and no dataDir at all', async () => {
    expect(await recordedDataDir(named(tmp))).toBe(tmp);
    expect(await recordedDataDir(named())).toBeUndefined();
  });

  it('refuses one that is missing, a file, or unreadable', async () => {
    const missing = join(tmp, 'no-such-data');
    await expect(recordedDataDir(named(missing))).rejects.toThrow(
      `${record} names dataDir ${missing}, which does not exist; pass --data-dir to read the data from elsewhere`,
    );
    await expect(recordedDataDir(named(rssHook))).rejects.toThrow('which is not a folder');
    if (linux && process.getuid?.() !== 0) {
      const locked = join(tmp, 'locked');
      mkdirSync(locked);
      chmodSync(locked, 0);
      await expect(recordedDataDir(named(locked))).rejects.toThrow('which cannot be read');
      chmodSync(locked, 0o700);
    }
  });
});
