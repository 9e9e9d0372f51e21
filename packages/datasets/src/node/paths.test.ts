import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  symlinkSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { embeddedMnistDir } from './paths.js';

const packageDir = fileURLToPath(new URL('../../', import.meta.url));

describe('embeddedMnistDir', () => {
  it('is the data/mnist folder of the package when the sources run', () => {
    expect(embeddedMnistDir()).toBe(join(packageDir, 'data', 'mnist'));
    expect(existsSync(join(embeddedMnistDir(), 'train-images-idx3-ubyte.gz'))).toBe(true);
  });
});

// The built package, installed under a folder whose name holds characters that are special in a
// URL: `#` starts a fragment, `%41` would decode to `A`. Both bundles must still find data/mnist.
describe('the built package installed under a path with # and %', () => {
  let project: string;

  beforeAll(() => {
    if (!existsSync(join(packageDir, 'dist', 'node.cjs'))) {
      throw new Error(`${packageDir}dist is missing: build the package first (pnpm build)`);
    }
    project = mkdtempSync(join(tmpdir(), 'cnnlab pkg#1%41-'));
    const installed = join(project, 'node_modules', '@cnnlab', 'datasets');
    for (const entry of ['dist', 'data', 'package.json']) {
      cpSync(join(packageDir, entry), join(installed, entry), { recursive: true });
    }
    // The package's dependencies, linked from the workspace (@cnnlab/core must be built too).
    const require = createRequire(import.meta.url);
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    for (const dependency of Object.keys(manifest.dependencies)) {
      const dir = dirname(require.resolve(`${dependency}/package.json`));
      const link = join(project, 'node_modules', ...dependency.split('/'));
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(realpathSync(dir), link, 'dir');
    }
  });

  const probe = `.loadMnist({ cacheDir: '/nonexistent/cnnlab-cache' }).then((d) =>
    console.log(JSON.stringify([d.source.kind, d.train.images.shape[0], d.source.location])))`;

  it.each([
    ['require', ['-e', `require('@cnnlab/datasets')${probe}`]],
    ['import', ['--input-type=module', '-e', `(await import('@cnnlab/datasets'))${probe}`]],
  ])('finds the embedded digits through %s', (_how, args) => {
    const out = execFileSync(process.execPath, args, { cwd: project, encoding: 'utf8' });
    const [kind, train, location] = JSON.parse(out);
    expect([kind, train]).toEqual(['embedded', 8000]);
    expect(location).toBe(join(project, 'node_modules', '@cnnlab', 'datasets', 'data', 'mnist'));
  });
});
