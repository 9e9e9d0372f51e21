import { describe, expect, it } from 'vitest';
import { epochsForSteps, WORKSHOP_STEPS } from '../src/workshop/index.js';

describe("the full workshop's gradient steps", () => {
  it("gives each network on 8,000 digits about the workshop's steps on 60,000", () => {
    // Keras on 60,000: 235 batches of 256 (the last partial) × 10 epochs; 938 of 64 × 2.
    expect(WORKSHOP_STEPS).toEqual({ dense: 2350, cnn: 1876 });
    const cnn = epochsForSteps(WORKSHOP_STEPS.cnn, 8000, 64);
    const dense = epochsForSteps(WORKSHOP_STEPS.dense, 8000, 256);
    expect([cnn, cnn * Math.ceil(8000 / 64)]).toEqual([15, 1875]);
    expect([dense, dense * Math.ceil(8000 / 256)]).toEqual([73, 2336]);
    // Never zero epochs, however small the data or large the batch.
    expect(epochsForSteps(10, 100_000, 256)).toBe(1);
  });
});
