import type { Random } from '@cnnlab/core';

/** A whole number in [0, n). */
export const below = (random: Random, n: number) => Math.floor(random() * n);

/** What a mutation did, and whether it touched the first `protect` bytes (a file's header). */
export interface Mutant {
  bytes: Uint8Array;
  what: string;
  touched: boolean;
}

/**
 * One seeded mutation of a valid file, of the kinds real damage and hostile edits make: flipped
 * bytes, a cut, bytes inserted, appended or deleted, a slice repeated, a byte set to one of the
 * `specials` (a format's meaningful values). `protect` is the length of the header, to tell
 * whether the mutant still carries the original header.
 */
export function mutate(
  bytes: Uint8Array,
  random: Random,
  protect: number,
  specials: readonly number[] = [0, 255],
): Mutant {
  const n = bytes.length;
  const at = below(random, n + 1);
  const randomBytes = (k: number) => Uint8Array.from({ length: k }, () => below(random, 256));
  const join = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
  switch (below(random, 7)) {
    case 0: {
      const copy = bytes.slice();
      const flips = 1 + below(random, 4);
      let first = n;
      for (let i = 0; i < flips && n > 0; i++) {
        const j = below(random, n);
        copy[j] ^= 1 + below(random, 255);
        first = Math.min(first, j);
      }
      return { bytes: copy, what: `${flips} bytes flipped`, touched: first < protect };
    }
    case 1:
      return { bytes: bytes.slice(0, at), what: `cut to ${at}`, touched: at < protect };
    case 2: {
      const extra = randomBytes(1 + below(random, 64));
      return {
        bytes: join(bytes.subarray(0, at), extra, bytes.subarray(at)),
        what: `${extra.length} bytes inserted at ${at}`,
        touched: at < protect,
      };
    }
    case 3: {
      const end = Math.min(n, at + 1 + below(random, 64));
      return {
        bytes: join(bytes.subarray(0, at), bytes.subarray(end)),
        what: `bytes ${at}..${end} deleted`,
        touched: at < protect,
      };
    }
    case 4: {
      const end = Math.min(n, at + 1 + below(random, 200));
      return {
        bytes: join(bytes.subarray(0, end), bytes.subarray(at, end), bytes.subarray(end)),
        what: `bytes ${at}..${end} repeated`,
        touched: at < protect,
      };
    }
    case 5: {
      const extra =
        random() < 0.5 ? randomBytes(1 + below(random, 64)) : new Uint8Array(below(random, 100));
      return { bytes: join(bytes, extra), what: `${extra.length} bytes appended`, touched: false };
    }
    default: {
      const copy = bytes.slice();
      const j = below(random, Math.max(1, n));
      if (n > 0) copy[j] = specials[below(random, specials.length)];
      return { bytes: copy, what: `byte ${j} set to a special value`, touched: j < protect };
    }
  }
}
