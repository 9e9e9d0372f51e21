/** The workshop's figures from full MNIST, for the report to set ours beside. */
export const WORKSHOP = { dense: 0.979, cnn: 0.992 };

/**
 * The workshop's gradient steps on 60,000 digits: the dense network 10 epochs at batch 256
 * (235 steps each), the CNN 2 epochs at batch 64 (938 each). The full run gives each network as
 * many steps on the 8,000 digits here, so that the comparison means what the workshop's does.
 */
export const WORKSHOP_STEPS = {
  dense: 10 * Math.ceil(60000 / 256),
  cnn: 2 * Math.ceil(60000 / 64),
};

/** Epochs over `n` images at `batchSize` that come nearest to `steps` gradient steps. */
export function epochsForSteps(steps: number, n: number, batchSize: number): number {
  return Math.max(1, Math.round(steps / Math.ceil(n / batchSize)));
}
