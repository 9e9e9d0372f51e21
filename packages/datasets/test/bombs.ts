import { constants, deflateRawSync } from 'node:zlib';

// Decompression bombs built without inflating them: independent raw deflate pieces, each ended
// by a sync flush (byte-aligned, no final bit), can be concatenated into one valid stream, so one
// compressed MiB of zeros repeated n times inflates to n MiB for about a KiB each.

const SYNC = { finishFlush: constants.Z_SYNC_FLUSH };
const GZIP_HEADER = Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3);

/**
 * A gzip member holding `head` and then `repeat` copies of `block`, inflating to
 * `head.length + repeat * block.length` bytes. The trailer's CRC-32 and length are zeros (wrong):
 * a reader that checks them only at the end has by then inflated everything.
 */
export function gzipBomb(head: Uint8Array, block: Uint8Array, repeat: number): Uint8Array {
  const piece = deflateRawSync(block, SYNC);
  const parts: Uint8Array[] = [GZIP_HEADER, deflateRawSync(head, SYNC)];
  for (let i = 0; i < repeat; i++) parts.push(piece);
  parts.push(deflateRawSync(new Uint8Array(0)), new Uint8Array(8));
  return new Uint8Array(Buffer.concat(parts));
}

/** An IDX header (and data) declaring `count` uint8 images of 28×28, all zero. */
export function idxImages(count: number): Uint8Array {
  const bytes = new Uint8Array(16 + count * 784);
  const view = new DataView(bytes.buffer);
  bytes[2] = 0x08;
  bytes[3] = 3;
  view.setUint32(4, count);
  view.setUint32(8, 28);
  view.setUint32(12, 28);
  return bytes;
}

/** The IDX bomb of issue 15: a header for one image, then `gib` GiB of zeros (5 MB per 5 GiB). */
export function idxBomb(gib: number): Uint8Array {
  return gzipBomb(idxImages(1), new Uint8Array(1 << 20), gib * 1024);
}

/** A Sign-MNIST CSV bomb: the header, then valid all-zero rows, about `mib` MiB of them. */
export function csvBomb(mib: number): Uint8Array {
  const header = ['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i + 1}`)].join(',');
  const row = `0${',0'.repeat(784)}\n`;
  // Whole rows per block, so the blocks join into whole rows.
  const block = new TextEncoder().encode(row.repeat(Math.floor((1 << 20) / row.length)));
  return gzipBomb(new TextEncoder().encode(`${header}\n`), block, mib);
}
