// CRC-32 as gzip stores it in every member's trailer (IEEE 802.3, reflected, polynomial
// 0xEDB88320). Eight tables let the loop take eight bytes a step: about 0.5 GB/s in V8, so
// checking a 47 MB MNIST file costs under 0.1 s.

let tables: Int32Array | undefined;

function buildTables(): Int32Array {
  const t = new Int32Array(256 * 8);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[i] = c;
  }
  for (let i = 0; i < 256; i++) {
    for (let k = 1; k < 8; k++) {
      const prev = t[(k - 1) * 256 + i];
      t[k * 256 + i] = (prev >>> 8) ^ t[prev & 255];
    }
  }
  return t;
}

/** CRC-32 of `data`, continuing from `crc` (the value for the bytes before it; 0 to start). */
export function crc32(data: Uint8Array, crc = 0): number {
  tables ??= buildTables();
  const t = tables;
  let c = ~crc;
  let i = 0;
  for (const end = data.length - 8; i <= end; i += 8) {
    const a = c ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24));
    c =
      t[1792 + (a & 255)] ^
      t[1536 + ((a >>> 8) & 255)] ^
      t[1280 + ((a >>> 16) & 255)] ^
      t[1024 + (a >>> 24)] ^
      t[768 + data[i + 4]] ^
      t[512 + data[i + 5]] ^
      t[256 + data[i + 6]] ^
      t[data[i + 7]];
  }
  for (; i < data.length; i++) c = t[(c ^ data[i]) & 255] ^ (c >>> 8);
  return ~c >>> 0;
}
