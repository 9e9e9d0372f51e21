import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { VizError } from '../errors.js';
import type { RgbaImage } from '../image.js';
import { pngDataBytes } from './check-png.js';
import { decodePng } from './png.js';
import {
  checkPngLimits,
  PNG_HEADER_BYTES,
  type PngLimits,
  pngError,
  readPngHeader,
} from './png-header.js';

/** Room in a file beyond its compressed pixels: ancillary chunks (text, colour profiles). */
const SLACK_BYTES = 16 * 1024 * 1024;

function kindOf(stat: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a pipe';
  if (stat.isSocket()) return 'a socket';
  return 'a device';
}

async function readAt(handle: FileHandle, length: number, position: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/**
 * Reads and decodes a PNG file, in bounded time and memory: only a regular file (links followed;
 * a pipe or device such as /dev/zero is refused before a byte is read), its header read first
 * and checked against `limits` (default PNG_LIMITS), the file no larger than the image it
 * declares could need, then decodePng's checks for truncated or corrupt data. Every failure is a
 * VizError whose message starts with the path.
 */
export async function readPng(path: string, limits: PngLimits = {}): Promise<RgbaImage> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a pipe nobody writes to would wait for ever.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (cause) {
    throw pngError(path, (cause as Error).message, cause);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw pngError(path, `is ${kindOf(stat)}, not a file`);
    const head = await readAt(handle, PNG_HEADER_BYTES, 0);
    const header = readPngHeader(head, path);
    checkPngLimits(header, limits, path);
    const data = pngDataBytes(header);
    // Deflate's stored blocks, its worst case, add 5 bytes per 65,535.
    const most = PNG_HEADER_BYTES + data + Math.ceil(data / 8192) + SLACK_BYTES;
    if (stat.size > most) {
      throw pngError(
        path,
        `is ${stat.size.toLocaleString('en-US')} bytes, more than a ${header.width}×${header.height} PNG can need (${most.toLocaleString('en-US')})`,
      );
    }
    // One byte more than the size said: a file that grows while it is read is not read past it.
    const bytes = await readAt(handle, stat.size + 1, 0);
    if (bytes.length > stat.size) throw pngError(path, 'changed while it was read');
    return decodePng(bytes, { ...limits, source: path });
  } catch (error) {
    if (error instanceof VizError) throw error;
    throw pngError(path, (error as Error).message, error);
  } finally {
    await handle.close().catch(() => undefined);
  }
}
