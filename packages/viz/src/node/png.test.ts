import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { activationGrid } from '../activation-grid.js';
import { VizError } from '../errors.js';
import { decodePng, encodePng, writePng } from './png.js';

const dir = mkdtempSync(join(tmpdir(), 'cnnlab-viz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('PNG', () => {
  it('writes an activation grid and decodes it back to the same pixels', async () => {
    const data = new Float32Array(5 * 4 * 20);
    for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.37) * 3 + (i % 7);
    const grid = activationGrid({ data, shape: [1, 5, 4, 20] });
    const file = join(dir, 'grid.png');
    await writePng(grid, file);
    const back = decodePng(readFileSync(file));
    expect(back.shape).toEqual([10, 64, 4]);
    expect(Array.from(back.data)).toEqual(Array.from(grid.data));
    // Only the PNG is left behind: the temporary file was renamed.
    expect(readdirSync(dir)).toEqual(['grid.png']);
  });

  it('encodes grey and RGB as their own PNG colour types', () => {
    const grey = encodePng({ data: new Uint8Array([0, 64, 128, 255]), shape: [2, 2] });
    // Byte 25 of a PNG is the IHDR colour type.
    expect(grey[25]).toBe(0);
    expect(Array.from(decodePng(grey).data.subarray(4, 8))).toEqual([64, 64, 64, 255]);
    const rgb = encodePng({ data: new Uint8Array([1, 2, 3, 4, 5, 6]), shape: [1, 2, 3] });
    expect(rgb[25]).toBe(2);
    expect(Array.from(decodePng(rgb).data)).toEqual([1, 2, 3, 255, 4, 5, 6, 255]);
  });

  it('names the path it cannot write', async () => {
    const path = join(dir, 'missing', 'folder', 'out.png');
    const image = { data: new Uint8Array(1), shape: [1, 1] };
    await expect(writePng(image, path)).rejects.toThrow(VizError);
    await expect(writePng(image, path)).rejects.toThrow(path);
  });

  it('rejects shapes it cannot encode', () => {
    expect(() => encodePng({ data: new Uint8Array(8), shape: [2, 2, 2] })).toThrow(VizError);
  });
});
