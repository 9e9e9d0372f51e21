// The transfer experiment as `cnnlab transfer` and the workshop's step 7 run and show it: the
// same digits, progress, figure and words, so that the report and the command tell one story.
import {
  type IndexedSplit,
  TrainError,
  type TransferExperiment,
  type TransferPhase,
  transferExperiment,
} from '@cnnlab/trainer';
import { transferChart, type VegaLiteSpec } from '@cnnlab/viz/charts';
import { CliError } from './errors.js';
import type { Interrupt } from './interrupt.js';
import { type Output, percent } from './output.js';
import { progressBar } from './progress.js';

/** The digits the base learns, and the new ones it is transferred to (relabelled 0–4). */
export const SOURCE_DIGITS = [0, 1, 2, 3, 4];
export const TARGET_DIGITS = [5, 6, 7, 8, 9];

const PHASES: Record<TransferPhase, string> = {
  base: 'base on 0\u20134',
  transferred: 'transferred',
  scratch: 'from scratch',
};

/** The experiment's settings the CLI offers. */
export interface TransferSettings {
  examples: number[];
  epochs: number;
  baseEpochs: number;
  batchSize?: number;
  seed: number;
}

/**
 * The experiment on digits 0–4 → 5–9 with a progress bar of its batches (none under --quiet or
 * off a terminal); Ctrl-C stops it after the current batch. Its argument errors are one line.
 */
export async function runTransfer(
  data: { train: IndexedSplit; test: IndexedSplit },
  settings: TransferSettings,
  out: Output,
  interrupt: Interrupt,
): Promise<TransferExperiment> {
  const bar = progressBar(out, 'batches');
  let started = false;
  try {
    return await transferExperiment(data, {
      sourceClasses: SOURCE_DIGITS,
      targetClasses: TARGET_DIGITS,
      examplesPerClass: settings.examples,
      epochs: settings.epochs,
      baseEpochs: settings.baseEpochs,
      batchSize: settings.batchSize,
      seed: settings.seed,
      backend: 'keep',
      signal: interrupt.signal,
      onProgress: (p) => {
        const label =
          p.examplesPerClass === undefined
            ? PHASES[p.phase]
            : `${PHASES[p.phase]}, ${p.examplesPerClass}/digit`;
        if (!started) {
          bar.start(p.total, label);
          started = true;
        }
        bar.update(p.done, label);
      },
    });
  } catch (error) {
    if (error instanceof TrainError) throw new CliError(error.message, { cause: error });
    throw error;
  } finally {
    bar.stop();
  }
}

/** Bars of both accuracies for each number of examples, and both curves side by side. */
export function transferFigure(result: TransferExperiment): VegaLiteSpec {
  return transferChart(result.results, {
    title: 'Transfer learning: digits 5\u20139 from a few examples',
    subtitle: [
      `The workshop CNN first learnt digits 0\u20134 (${percent(result.base.testAccuracy)} on their test digits). Transferred: its convolutions frozen,`,
      `only a new head learns 5\u20139. From scratch: the same CNN from random weights. ${result.epochs} epoch(s) each, seed ${result.seed}.`,
    ],
    classes: `the ${result.testImages.toLocaleString('en')} test digits 5\u20139`,
    chance: 1 / result.targetClasses.length,
  });
}

/** What transfer learning is for, in this run's numbers. */
export function transferText(result: TransferExperiment): string {
  const runs = result.results.map(
    (r) =>
      `${r.examplesPerClass} a digit: ${percent(r.transferred.testAccuracy)} transferred against ${percent(r.scratch.testAccuracy)} from scratch`,
  );
  const [few] = result.results;
  const trainable = few
    ? ` The transferred network trains ${few.transferred.trainableParams.toLocaleString('en')} weights, the scratch one all ${few.scratch.trainableParams.toLocaleString('en')}.`
    : '';
  return `What transfer learning is for: a new task with few labelled examples. The CNN learnt digits 0\u20134 from ${result.base.trainImages.toLocaleString('en')} images (${percent(result.base.testAccuracy)} on their test digits); its convolutions already find strokes, loops and corners, so frozen, with a new head, they learn digits 5\u20139 from a handful of examples. After ${result.epochs} epoch(s), on the ${result.testImages.toLocaleString('en')} test digits 5\u20139: ${runs.join('; ')}.${trainable} The fewer the examples and the shorter the training, the more the borrowed features are worth; with many examples of its own, a network from scratch catches up.`;
}

/** The numbers as a table people read. */
export function transferTable(result: TransferExperiment): string {
  return [
    `base network: ${percent(result.base.testAccuracy)} on ${result.base.testImages.toLocaleString('en')} test digits 0\u20134 (${result.base.epochs} epoch(s) on ${result.base.trainImages.toLocaleString('en')} digits)`,
    `test accuracy on ${result.testImages.toLocaleString('en')} test digits 5\u20139 after ${result.epochs} epoch(s):`,
    'examples/digit  transferred  from scratch',
    ...result.results.map(
      (r) =>
        `${String(r.examplesPerClass).padStart(14)}  ${percent(r.transferred.testAccuracy).padStart(11)}  ${percent(r.scratch.testAccuracy).padStart(12)}`,
    ),
  ].join('\n');
}
