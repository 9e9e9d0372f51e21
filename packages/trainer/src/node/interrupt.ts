import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { TrainCallback } from '../callback.js';
import type { ModelCheckpoint } from './model-checkpoint.js';
import { modelCheckpoint } from './model-checkpoint.js';

export interface InterruptOptions {
  /** Where to save on Ctrl-C: a folder, or a modelCheckpoint to reuse. None: just stop. */
  checkpoint?: string | ModelCheckpoint;
  /** The signal or signals to catch. Default 'SIGINT'; `[]` catches none (see `abortSignal`). */
  signal?: NodeJS.Signals | readonly NodeJS.Signals[];
  /**
   * Also stop when this is aborted, as when a signal arrives: for an app that handles signals
   * itself (a CLI whose Ctrl-C also stops downloads). Aborted before training: it stops after the
   * first batch.
   */
  abortSignal?: AbortSignal;
  /**
   * The weights an interrupted run keeps (in the model, and in the checkpoint): 'last-batch'
   * (default), those after the batch that was running; or 'last-epoch', those at the end of the
   * last epoch that ran to its end (copied at each epoch's end), so that a checkpoint never holds
   * part of an epoch. With 'last-epoch' and no epoch finished, nothing is saved.
   */
  keep?: 'last-batch' | 'last-epoch';
  /** Told when the signal arrives and when the checkpoint is written. */
  log?: (line: string) => void;
}

export interface InterruptHandler extends TrainCallback {
  /** Whether the signal (or the abort) arrived during training. */
  readonly interrupted: boolean;
  /** The signal that stopped training; undefined when none did, or when `abortSignal` did. */
  readonly caught: NodeJS.Signals | undefined;
  /** Epochs that ran to their end, all their batches done, before training stopped. */
  readonly finishedEpochs: number;
  /** Whether the checkpoint was written after the interrupt. */
  readonly checkpointed: boolean;
  /** The signal listener while training runs (tests may call it instead of sending a signal). */
  readonly listener: (() => void) | undefined;
}

function reasonOf(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name !== 'AbortError' && reason.message) {
    return reason.message;
  }
  return typeof reason === 'string' && reason ? reason : 'aborted';
}

/**
 * Ctrl-C during train stops after the current batch (model.stopTraining) and saves a checkpoint
 * when one is configured. A second Ctrl-C gives the signal back to Node, which exits. The
 * listeners exist only while training runs.
 */
export function interruptHandler(options: InterruptOptions = {}): InterruptHandler {
  const signals: readonly NodeJS.Signals[] =
    options.signal === undefined
      ? ['SIGINT']
      : typeof options.signal === 'string'
        ? [options.signal]
        : options.signal;
  const keepEpoch = options.keep === 'last-epoch';
  const checkpoint =
    typeof options.checkpoint === 'string'
      ? modelCheckpoint({ dir: options.checkpoint })
      : options.checkpoint;
  const abortSignal = options.abortSignal;
  let model: tfl.LayersModel | undefined;
  let steps = 0;
  let epochs = 0;
  let interrupted = false;
  let caught: NodeJS.Signals | undefined;
  let checkpointed = false;
  let finishedEpochs = 0;
  let batches = 0;
  let epochComplete = true;
  // The weights at the end of the last finished epoch, while a later epoch runs ('last-epoch').
  let snapshot: tf.Tensor[] | undefined;
  let listener: (() => void) | undefined;
  const listeners = new Map<NodeJS.Signals, () => void>();

  const stop = (why: string) => {
    interrupted = true;
    if (model) model.stopTraining = true;
    options.log?.(`${why}: stopping after the current batch`);
  };
  const onAbort = () => {
    if (!interrupted && abortSignal) stop(reasonOf(abortSignal));
  };
  const release = () => {
    if (snapshot) tf.dispose(snapshot);
    snapshot = undefined;
  };
  const remove = () => {
    for (const [signal, fn] of listeners) process.removeListener(signal, fn);
    listeners.clear();
    listener = undefined;
    abortSignal?.removeEventListener('abort', onAbort);
  };

  return {
    get interrupted() {
      return interrupted;
    },
    get caught() {
      return caught;
    },
    get finishedEpochs() {
      return finishedEpochs;
    },
    get checkpointed() {
      return checkpointed;
    },
    get listener() {
      return listener;
    },
    setModel(m) {
      model = m;
      checkpoint?.setModel?.(m);
    },
    setParams(p) {
      steps = p.steps;
      epochs = p.epochs;
    },
    onTrainBegin() {
      interrupted = false;
      caught = undefined;
      checkpointed = false;
      finishedEpochs = 0;
      epochComplete = true;
      remove();
      release();
      for (const signal of signals) {
        const fn = () => {
          if (interrupted) {
            // The user insists: hand the signal back to Node's default (exit).
            remove();
            process.kill(process.pid, signal);
            return;
          }
          caught = signal;
          stop(signal);
        };
        listeners.set(signal, fn);
        process.on(signal, fn);
        listener ??= fn;
      }
      if (abortSignal) {
        abortSignal.addEventListener('abort', onAbort);
        // Aborted already: tfjs clears stopTraining after onTrainBegin, so onBatchEnd sets it.
        if (abortSignal.aborted) onAbort();
      }
    },
    onEpochBegin() {
      batches = 0;
      epochComplete = false;
    },
    onBatchEnd() {
      batches += 1;
      if (interrupted && model) model.stopTraining = true;
    },
    onEpochEnd(epoch) {
      // tfjs ends an epoch cut short by stopTraining with onEpochEnd too.
      epochComplete = batches >= steps;
      if (!epochComplete) return;
      finishedEpochs += 1;
      // Training goes on after this epoch only when it is neither the last nor interrupted.
      if (keepEpoch && model && !interrupted && epoch + 1 < epochs) {
        release();
        snapshot = model.getWeights().map((w) => w.clone());
      }
    },
    async onTrainEnd() {
      remove();
      const what = caught ?? (abortSignal ? reasonOf(abortSignal) : 'interrupted');
      if (interrupted && keepEpoch && !epochComplete && snapshot && model) {
        model.setWeights(snapshot);
        options.log?.(`${what}: put back the weights of epoch ${finishedEpochs}`);
      }
      release();
      if (!interrupted || !checkpoint || (keepEpoch && finishedEpochs === 0)) return;
      await checkpoint.save();
      checkpointed = true;
      options.log?.(`${what}: saved a checkpoint to ${checkpoint.dir}`);
    },
    dispose() {
      remove();
      release();
    },
  };
}
