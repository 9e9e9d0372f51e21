import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { DatasetError } from './errors.js';

const require = createRequire(import.meta.url);
const dist = (file: string) => {
  const path = fileURLToPath(new URL(`../dist/${file}`, import.meta.url));
  if (!existsSync(path))
    throw new Error(`${path} is missing: build the package first (pnpm build)`);
  return path;
};

describe('DatasetError', () => {
  it('is recognised across separately evaluated copies of the class', async () => {
    vi.resetModules();
    const other = (await import('./errors.js')).DatasetError;
    expect(other).not.toBe(DatasetError);
    const error = new other('from the other copy');
    expect(error).toBeInstanceOf(DatasetError);
    expect(new DatasetError('x')).toBeInstanceOf(other);
    expect(error).toBeInstanceOf(Error);
    expect(new Error('plain')).not.toBeInstanceOf(DatasetError);
    expect({ message: 'duck' }).not.toBeInstanceOf(DatasetError);
    expect((null as unknown) instanceof DatasetError).toBe(false);
  });

  it('keeps the usual meaning for subclasses', () => {
    class FileError extends DatasetError {}
    class UrlError extends DatasetError {}
    const error = new FileError('missing', { source: 'f' });
    expect(error).toBeInstanceOf(FileError);
    expect(error).toBeInstanceOf(DatasetError);
    expect(error).not.toBeInstanceOf(UrlError);
    expect(new DatasetError('base')).not.toBeInstanceOf(FileError);
    expect(error.source).toBe('f');
    // The brand lives on the prototype: nothing extra on the error itself.
    expect(Object.getOwnPropertySymbols(error)).toEqual([]);
  });

  it('is one class to instanceof across the CJS bundles, each of which inlines its own', () => {
    const node = require(dist('node.cjs'));
    const tfjs = require(dist('tfjs.cjs'));
    let thrown: unknown;
    try {
      tfjs.toTensors({
        images: { data: new Uint8Array(8), shape: [2, 2, 2] },
        labels: new Uint8Array(1),
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(node.DatasetError);
    expect(thrown).toBeInstanceOf(DatasetError);
    expect((thrown as Error).message).toMatch(/toTensors: 2 images but 1 labels/);
    const index = require(dist('index.cjs'));
    expect(new index.DatasetError('x')).toBeInstanceOf(node.DatasetError);
  });
});
