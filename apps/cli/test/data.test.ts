import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBarsDataset } from './fixtures.js';
import { cnnlab, cnnlabWith } from './run-cli.js';

let tmp = '';
let mirror = '';
let server: Server;
const requests: string[] = [];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cnnlab-data-'));
  mirror = join(tmp, 'mirror');
  writeBarsDataset(mirror);
  // A stand-in for the public mirror: the four .gz files over plain http, 404 for anything else.
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const file = join(mirror, (request.url ?? '').replace(/^\/data\//, ''));
    if (!request.url?.startsWith('/data/') || !existsSync(file)) {
      response.writeHead(404).end('not here');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/gzip' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(tmp, { recursive: true, force: true });
});

const url = (path = '/data/') =>
  `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;

describe('cnnlab datasets fetch', () => {
  it('downloads the four files into the cache, where later commands find them', async () => {
    const home = join(tmp, 'home');
    const fetch = [
      'datasets',
      'fetch',
      '--dataset',
      'fashion-mnist',
      '--url',
      url(),
      '--no-verify',
      '--json',
    ];
    const fetched = await cnnlabWith({ env: { CNNLAB_HOME: home } }, ...fetch);
    expect(fetched.stderr).not.toContain('cnnlab:');
    expect(fetched.code).toBe(0);
    const result = JSON.parse(fetched.stdout);
    expect(result.train).toEqual([600, 28, 28]);
    expect(result.test).toEqual([200, 28, 28]);
    expect(result.downloaded).toHaveLength(4);
    const cache = join(home, 'datasets', 'fashion-mnist');
    expect(result.cacheDir).toBe(cache);
    for (const file of readdirSync(mirror)) {
      expect(readFileSync(join(cache, file)).equals(readFileSync(join(mirror, file))), file).toBe(
        true,
      );
    }
    // No --data-dir: info reads the cache, and a second fetch downloads nothing.
    const before = requests.length;
    const info = await cnnlabWith(
      { env: { CNNLAB_HOME: home } },
      'datasets',
      'info',
      '--dataset',
      'fashion-mnist',
      '--json',
    );
    expect(info.code).toBe(0);
    const counts = JSON.parse(info.stdout);
    expect(counts.source).toContain('cache');
    expect(counts.train.classCounts).toEqual(Array(10).fill(60));
    const again = await cnnlabWith({ env: { CNNLAB_HOME: home } }, ...fetch);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).downloaded).toEqual([]);
    expect(requests.length).toBe(before);
  });

  it('refuses files that do not match the published sizes, and keeps none of them', async () => {
    const cache = join(tmp, 'mnist-cache');
    const { code, stderr } = await cnnlab(
      'datasets',
      'fetch',
      '--url',
      url(),
      '--cache-dir',
      cache,
      '--quiet',
    );
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(
      /^cnnlab: .*train-images-idx3-ubyte\.gz.* the published file has 9912422/,
    );
    // The cache folder was made by this run, so it goes too.
    expect(existsSync(cache)).toBe(false);
  });

  it('names the URL that failed, and sign-mnist is not fetchable', async () => {
    const cache = join(tmp, 'missing-cache');
    mkdirSync(cache);
    const missing = await cnnlab(
      'datasets',
      'fetch',
      '--url',
      url('/elsewhere/'),
      '--cache-dir',
      cache,
      '--quiet',
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('/elsewhere/train-images-idx3-ubyte.gz');
    expect(missing.stderr).toContain('404');
    expect(readdirSync(cache)).toEqual([]);
    for (const bad of ['ftp://example.com/mnist/', 'not-a-url']) {
      const wrong = await cnnlab('datasets', 'fetch', '--url', bad, '--cache-dir', join(tmp, 'c2'));
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain('--url expects an http:// or https:// address');
      expect(existsSync(join(tmp, 'c2'))).toBe(false);
    }
    const sign = await cnnlab('datasets', 'fetch', '--dataset', 'sign-mnist');
    expect(sign.code).toBe(2);
    expect(sign.stderr).toContain('Kaggle');
  });
});

describe('cnnlab train on a data folder, on a forced backend', () => {
  it('learns Fashion-MNIST-shaped files from --data-dir on wasm', async () => {
    const out = join(tmp, 'fashion-model');
    const trained = await cnnlabWith(
      { cwd: tmp },
      'train',
      '--model',
      'dense',
      '--dataset',
      'fashion-mnist',
      '--data-dir',
      'mirror',
      '--backend',
      'wasm',
      '--epochs',
      '4',
      '--batch-size',
      '32',
      '--seed',
      '2',
      '--quiet',
      '--json',
      '--out',
      out,
    );
    expect(trained.stderr).not.toContain('cnnlab:');
    expect(trained.code).toBe(0);
    const result = JSON.parse(trained.stdout);
    expect(result.backend).toBe('wasm');
    expect(result.trainImages).toBe(600);
    // Ten bars in ten places: chance is 10%.
    expect(result.testAccuracy).toBeGreaterThan(0.9);
    const meta = JSON.parse(readFileSync(join(out, 'cnnlab.json'), 'utf8'));
    expect(meta.classNames[0]).toBe('T-shirt/top');
    // Given relative to where train ran, recorded absolute for evaluate run from anywhere.
    expect(meta.dataDir).toBe(mirror);
    // evaluate finds the data again through the model folder's record.
    const evaluated = await cnnlab('evaluate', '--model-dir', out, '--json', '--quiet');
    expect(evaluated.code).toBe(0);
    expect(JSON.parse(evaluated.stdout).accuracy).toBeCloseTo(result.testAccuracy, 5);
  });

  it('reports the backend it was told to use', async () => {
    const cpu = await cnnlab('backend', '--prefer', 'cpu', '--json');
    expect(cpu.code).toBe(0);
    expect(JSON.parse(cpu.stdout).id).toBe('cpu');
    const missing = await cnnlab('backend', '--backend', 'tensorflow');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /^cnnlab: backend tensorflow: --backend tensorflow could not be used: .*tfjs-node is not installed/,
    );
    // --prefer tries one first and falls back, saying why.
    const preferred = await cnnlab('backend', '--prefer', 'tensorflow');
    expect(preferred.code).toBe(0);
    expect(preferred.stdout).toContain('✗ tensorflow: @tensorflow/tfjs-node is not installed');
    expect(preferred.stdout).not.toContain('CNNLAB_BACKEND');
    const wasm = await cnnlab('backend', '--prefer', 'wasm', '--json');
    expect(JSON.parse(wasm.stdout).reason).toMatch(/\(preferred by --prefer wasm\)$/);
    const unknown = await cnnlab('train', '--backend', 'gpu', '--out', join(tmp, 'x'));
    expect(unknown.code).toBe(2);
    // --quiet silences tfjs's own notice on the plain cpu backend too.
    const quiet = await cnnlab(
      'train',
      '--model',
      'dense',
      '--backend',
      'cpu',
      '--limit',
      '64',
      '--quiet',
      '--json',
      '--out',
      join(tmp, 'cpu-model'),
    );
    expect(quiet.stderr).toBe('');
    expect(JSON.parse(quiet.stdout).backend).toBe('cpu');
  });

  it('names a corrupt data file', async () => {
    const broken = join(tmp, 'broken');
    writeBarsDataset(broken, 20, 10);
    const labels = join(broken, 't10k-labels-idx1-ubyte.gz');
    writeFileSync(labels, readFileSync(labels).subarray(0, 20));
    const { code, stderr } = await cnnlab(
      'datasets',
      'info',
      '--dataset',
      'fashion-mnist',
      '--data-dir',
      broken,
    );
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^cnnlab: .*t10k-labels-idx1-ubyte\.gz/);
    // A training run that fails on its data leaves no model folder behind.
    const out = join(tmp, 'never-made', 'model');
    const train = await cnnlab(
      'train',
      '--dataset',
      'fashion-mnist',
      '--data-dir',
      broken,
      '--quiet',
      '--out',
      out,
    );
    expect(train.code).toBe(1);
    expect(existsSync(join(tmp, 'never-made'))).toBe(false);
  });

  it('fails fast and in one line for an output folder under /proc', async () => {
    const { code, stderr } = await cnnlab('train', '--quiet', '--out', '/proc/cnnlab/model');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^cnnlab: cannot write to output folder \/proc\/cnnlab\/model/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
