// How users get a training backend: @cnnlab/backend's tarballs installed into fresh projects the
// ways people install — npm with scripts turned off, pnpm with its defaults (which block
// dependencies' build scripts and fail on them), npm without optional dependencies — and a small
// CNN trained in each, to see which backend it really ran on.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectSuccess,
  freshProject,
  hostPlatform,
  pack,
  publicPackages,
  run,
  scratchDir,
} from './packing.js';

const TFJS = [
  '@tensorflow/tfjs-core@4.22.0',
  '@tensorflow/tfjs-layers@4.22.0',
  '@tensorflow/tfjs-backend-cpu@4.22.0',
];
const PLATFORM = `@cnnlab/backend-${hostPlatform()}`;

/**
 * Trains a small CNN for real on a task with a known answer (is the bright square on the left or
 * the right?) and prints the backend, its reason, the accuracy and any warning, as JSON.
 */
const TRAIN = `
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '@cnnlab/backend';

const warnings = [];
const choice = await initBackend({ warn: (line) => warnings.push(line) });
const n = 128;
const x = new Float32Array(n * 12 * 12);
const y = new Float32Array(n * 2);
for (let i = 0; i < n; i++) {
  const right = i % 2;
  const top = (i * 7) % 8;
  for (let r = top; r < top + 4; r++) for (let c = 0; c < 4; c++) x[i * 144 + r * 12 + c + (right ? 8 : 0)] = 1;
  y[i * 2 + right] = 1;
}
const model = tfl.sequential({ layers: [
  tfl.layers.conv2d({ inputShape: [12, 12, 1], filters: 8, kernelSize: 3, activation: 'relu' }),
  tfl.layers.maxPooling2d({ poolSize: 2 }),
  tfl.layers.flatten(),
  tfl.layers.dense({ units: 2, activation: 'softmax' }),
] });
model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const xs = tf.tensor4d(x, [n, 12, 12, 1]);
const ys = tf.tensor2d(y, [n, 2]);
const history = await model.fit(xs, ys, { epochs: 15, batchSize: 32, verbose: 0 });
const acc = history.history.acc ?? history.history.accuracy;
console.log(JSON.stringify({ id: choice.id, backend: tf.getBackend(), reason: choice.reason, accuracy: acc.at(-1), warnings }));
`;

interface Trained {
  id: string;
  backend: string;
  reason: string;
  accuracy: number;
  warnings: string[];
}

async function train(project: string): Promise<Trained> {
  writeFileSync(join(project, 'train.mjs'), TRAIN);
  const result = await run(process.execPath, ['train.mjs'], project);
  expectSuccess(result, `training in ${project}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) as string) as Trained;
}

describe('installing @cnnlab/backend as users do, then training', () => {
  let work = '';
  let backend = '';
  let platform = '';
  let core = '';
  /** @cnnlab/backend's own dependency, as the registry would serve it: its tarball. */
  const siblings = () => ({ '@cnnlab/core': `file:${core}` });

  beforeAll(async () => {
    work = scratchDir('cnnlab-install-');
    const pkgs = publicPackages();
    const find = (name: string) => {
      const pkg = pkgs.find((p) => p.manifest.name === name);
      if (!pkg) throw new Error(`${name} is not a public package of this workspace`);
      return pkg;
    };
    [backend, platform, core] = await Promise.all([
      pack(find('@cnnlab/backend'), join(work, 'backend')),
      pack(find(PLATFORM), join(work, 'platform')),
      pack(find('@cnnlab/core'), join(work, 'core')),
    ]);
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('npm install --ignore-scripts: the prebuilt addon, native training', async () => {
    const project = freshProject(join(work, 'npm'), 'npm-ignore-scripts', {
      overrides: siblings(),
    });
    expectSuccess(
      await run(
        'npm',
        [
          'install',
          '--ignore-scripts',
          '--no-audit',
          '--no-fund',
          '--loglevel=error',
          backend,
          platform,
          ...TFJS,
        ],
        project,
      ),
      'npm install --ignore-scripts',
    );
    const trained = await train(project);
    expect(trained.id).toBe('native');
    expect(trained.backend).toBe('cnnlab-native');
    expect(trained.reason).toContain(`prebuilt ${PLATFORM}`);
    expect(trained.accuracy).toBeGreaterThan(0.9);
    expect(trained.warnings).toEqual([]);
    // Nothing to build at install: no node-gyp, no build folder.
    const installed = JSON.parse(
      readFileSync(join(project, 'node_modules/@cnnlab/backend/package.json'), 'utf8'),
    );
    expect(installed.scripts?.install).toBeUndefined();
    expect(installed.dependencies?.['node-gyp']).toBeUndefined();
  });

  it('pnpm add with its defaults: exit 0, native training', async () => {
    const project = freshProject(join(work, 'pnpm'), 'pnpm-defaults');
    // The registry's stand-in for our sibling (JSON is YAML).
    writeFileSync(
      join(project, 'pnpm-workspace.yaml'),
      `overrides: ${JSON.stringify(siblings())}\n`,
    );
    const added = await run('pnpm', ['add', backend, platform, ...TFJS], project);
    expectSuccess(added, 'pnpm add');
    expect(`${added.stdout}${added.stderr}`).not.toMatch(/ignored build scripts|IGNORED_BUILDS/i);
    const trained = await train(project);
    expect(trained.id).toBe('native');
    expect(trained.accuracy).toBeGreaterThan(0.9);
  });

  it('npm install --omit=optional: wasm, never the cpu backend, with the true reason', async () => {
    const project = freshProject(join(work, 'no-optional'), 'npm-omit-optional', {
      overrides: siblings(),
    });
    expectSuccess(
      await run(
        'npm',
        [
          'install',
          '--omit=optional',
          '--no-audit',
          '--no-fund',
          '--loglevel=error',
          backend,
          ...TFJS,
        ],
        project,
      ),
      'npm install --omit=optional',
    );
    const trained = await train(project);
    expect(existsSync(join(project, 'node_modules', PLATFORM)), `${PLATFORM} installed`).toBe(
      false,
    );
    expect(trained.id, trained.reason).toBe('wasm');
    expect(trained.backend).toBe('wasm');
    expect(trained.reason).toContain(`native: ${PLATFORM} is not installed`);
    expect(trained.reason).toContain('--omit=optional');
    expect(trained.accuracy).toBeGreaterThan(0.9);
    expect(trained.warnings).toEqual([]);
  });
});
