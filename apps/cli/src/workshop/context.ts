import type { BackendChoice } from '@cnnlab/backend';
import { type Image, type LabeledImages, loadMnist } from '@cnnlab/datasets/node';
import type { Evaluation } from '@cnnlab/trainer';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { prepareBackend } from '../backend-choice.js';
import { imageAt, type LoadedData } from '../data.js';
import type { Interrupt } from '../interrupt.js';
import type { Output } from '../output.js';
import { progressOptions } from '../progress.js';
import type { Figure } from './report.js';

export interface WorkshopOptions {
  quick?: boolean;
  out: string;
  signMnist?: [string, string];
  seed: number;
  backend?: string;
}

/** One Sign-MNIST network of step 8: the three letters of rock, paper, scissors, or all 24. */
export interface SignRun {
  /** Its key in metrics.json's `signMnist` and in its curves' file name. */
  key: 'rockPaperScissors' | 'letters';
  /** The labels kept (all of them when undefined). */
  classes: number[] | undefined;
  /** Its number of classes. */
  n: number;
  data: LoadedData;
}

/** A network a step trained, and how it scored on the test digits. */
export interface Trained {
  model: LayersModel;
  evaluation: Evaluation;
}

/**
 * What the workshop's steps share: the run's options and where it writes, the digits, and what
 * each step leaves for the later ones (its network, the figures and metrics of the report).
 */
export interface WorkshopContext {
  readonly options: WorkshopOptions;
  readonly out: Output;
  readonly interrupt: Interrupt;
  /** The report folder (`options.out`). */
  readonly dir: string;
  /** The seed of every network's weights, shuffles and augmentation. */
  readonly seed: number;
  /** When the run began (`Date.now()`), for metrics.json's `seconds`. */
  readonly started: number;
  readonly backend: BackendChoice;
  /** The training digits and the test digits (the embedded sample, or full MNIST if fetched). */
  readonly digits: LabeledImages;
  readonly test: LabeledImages;
  /** The first test digit: step 2 moves it, step 4 filters it, step 6 looks inside the CNN at it. */
  readonly digit: Image<Uint8Array>;
  /** The trainer's progress options: where its Keras-style lines go, if anywhere. */
  readonly progress: ReturnType<typeof progressOptions>;
  /** The report's figures, in the order the steps add them. */
  readonly figures: Figure[];
  /** metrics.json: each step adds its key, in the order they run. */
  readonly metrics: Record<string, unknown>;
  /** The Sign-MNIST runs, read by dataStep before any training; none without --sign-mnist. */
  signRuns: SignRun[];
  /** The dense network, once denseStep trained it. */
  dense?: Trained;
  /** The CNN, once cnnStep trained it. */
  cnn?: Trained;
  /** VGG16's summaries, frozen and with its new head, once transferStep wrote them. */
  vggText?: string;
}

/** The context a run starts from: the backend chosen, the digits loaded, no step run yet. */
export async function createContext(
  options: WorkshopOptions,
  out: Output,
  interrupt: Interrupt,
): Promise<WorkshopContext> {
  const started = Date.now();
  const backend = await prepareBackend(out, options.backend);
  const { train: digits, test, source } = await loadMnist();
  return {
    options,
    out,
    interrupt,
    dir: options.out,
    seed: options.seed,
    started,
    backend,
    digits,
    test,
    digit: imageAt(test, 0),
    progress: progressOptions(out),
    figures: [],
    metrics: {
      quick: Boolean(options.quick),
      seed: options.seed,
      backend: { id: backend.id, reason: backend.reason },
      data: source.description,
    },
    signRuns: [],
  };
}

/** What an earlier step left in the context; a step run out of order is a bug, said so here. */
export function fromStep<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`workshop: ${what} is needed before its step ran`);
  return value;
}
