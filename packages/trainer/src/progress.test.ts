import { describe, expect, it } from 'vitest';
import { bar, progressBar } from './progress.js';

function buffer(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, write: (s: string) => chunks.push(s) } };
}

const params = { epochs: 10, steps: 4, samples: 256, batchSize: 64, doValidation: true };

describe('progressBar', () => {
  it('draws a Keras bar in place on a TTY', () => {
    const { chunks, stream } = buffer(true);
    const cb = progressBar({ stream, intervalMs: 0 });
    cb.setParams?.(params);
    cb.onEpochBegin?.(0);
    cb.onBatchEnd?.(0, { batch: 0, size: 64, loss: 0.4, acc: 0.5 });
    cb.onBatchEnd?.(1, { batch: 1, size: 64, loss: 0.2, acc: 0.7 });
    cb.onBatchEnd?.(2, { batch: 2, size: 64, loss: 0.2, acc: 0.7 });
    cb.onBatchEnd?.(3, { batch: 3, size: 64, loss: 0.2, acc: 0.7 });
    cb.onEpochEnd?.(0, { loss: 0.21, acc: 0.93, val_loss: 0.1, val_acc: 0.97 });
    expect(chunks[0]).toBe('Epoch 1/10\n');
    expect(chunks[2]).toMatch(
      /^\r2\/4 \[==============>\.{15}\] - ETA: \d+s - loss: 0\.3000 - acc: 0\.6000/,
    );
    // The line ends by clearing what a longer bar left: ESC [ K.
    expect(chunks.at(-1)?.endsWith(`${String.fromCharCode(27)}[K\n`)).toBe(true);
    expect(chunks.at(-1)?.slice(0, -4)).toMatch(
      /^\r4\/4 \[={30}\] - \d+s \d+ms\/step - loss: 0\.2100 - acc: 0\.9300 - val_loss: 0\.1000 - val_acc: 0\.9700$/,
    );
  });

  it('says how far an epoch cut short got (Ctrl-C, a NaN loss)', () => {
    const tty = buffer(true);
    const live = progressBar({ stream: tty.stream, intervalMs: 0 });
    const plain = buffer(false);
    const lines = progressBar({ stream: plain.stream });
    for (const cb of [live, lines]) {
      cb.setParams?.(params);
      cb.onEpochBegin?.(0);
      cb.onBatchEnd?.(0, { batch: 0, size: 64, loss: 0.4 });
      cb.onEpochEnd?.(0, { loss: 0.4 });
    }
    expect(tty.chunks.at(-1)).toMatch(/^\r1\/4 \[={6}>\.{23}\] - \d+s \d+ms\/step - loss: 0\.4000/);
    expect(plain.chunks).toEqual([
      expect.stringMatching(/^Epoch 1\/10 - 1\/4 - \d+s \d+ms\/step - loss: 0\.4000\n$/),
    ]);
  });

  it('writes one plain line per epoch when not a TTY', () => {
    const { chunks, stream } = buffer(false);
    const cb = progressBar({ stream });
    cb.setParams?.(params);
    for (let epoch = 0; epoch < 2; epoch++) {
      cb.onEpochBegin?.(epoch);
      for (let b = 0; b < 4; b++) cb.onBatchEnd?.(b, { batch: b, size: 64, loss: 0.3 });
      cb.onEpochEnd?.(epoch, { loss: 0.3, val_loss: 0.25 });
    }
    expect(chunks).toHaveLength(2);
    expect(chunks[1]).toMatch(
      /^Epoch 2\/10 - 4\/4 - \d+s \d+ms\/step - loss: 0\.3000 - val_loss: 0\.2500\n$/,
    );
  });

  it('fills the bar as Keras does', () => {
    expect(bar(0, 10, 10)).toBe('[..........]');
    expect(bar(5, 10, 10)).toBe('[====>.....]');
    expect(bar(10, 10, 10)).toBe('[==========]');
  });
});
