import type * as tfl from '@tensorflow/tfjs-layers';
import type { TrainCallback } from '../callback.js';
import type { ModelCheckpoint } from './model-checkpoint.js';
import { modelCheckpoint } from './model-checkpoint.js';

export interface InterruptOptions {
  /** Where to save on Ctrl-C: a folder, or a modelCheckpoint to reuse. None: just stop. */
  checkpoint?: string | ModelCheckpoint;
  /** The signal to catch. Default 'SIGINT'. */
  signal?: NodeJS.Signals;
  /** Told when the signal arrives and when the checkpoint is written. */
  log?: (line: string) => void;
}

export interface InterruptHandler extends TrainCallback {
  /** Whether the signal arrived during training. */
  readonly interrupted: boolean;
  /** The signal listener while training runs (tests may call it instead of sending a signal). */
  readonly listener: (() => void) | undefined;
}

/**
 * Ctrl-C during train stops after the current batch (model.stopTraining) and saves a checkpoint
 * when one is configured. A second Ctrl-C gives the signal back to Node, which exits. The
 * listener exists only while training runs.
 */
export function interruptHandler(options: InterruptOptions = {}): InterruptHandler {
  const signal = options.signal ?? 'SIGINT';
  const checkpoint =
    typeof options.checkpoint === 'string'
      ? modelCheckpoint({ dir: options.checkpoint })
      : options.checkpoint;
  let model: tfl.LayersModel | undefined;
  let interrupted = false;
  let listener: (() => void) | undefined;
  const remove = () => {
    if (listener) process.removeListener(signal, listener);
    listener = undefined;
  };
  return {
    get interrupted() {
      return interrupted;
    },
    get listener() {
      return listener;
    },
    setModel(m) {
      model = m;
      checkpoint?.setModel?.(m);
    },
    onTrainBegin() {
      interrupted = false;
      remove();
      listener = () => {
        if (interrupted) {
          // The user insists: hand the signal back to Node's default (exit).
          remove();
          process.kill(process.pid, signal);
          return;
        }
        interrupted = true;
        if (model) model.stopTraining = true;
        options.log?.(`${signal}: stopping after the current batch`);
      };
      process.on(signal, listener);
    },
    async onTrainEnd() {
      remove();
      if (interrupted && checkpoint) {
        await checkpoint.save();
        options.log?.(`${signal}: saved a checkpoint to ${checkpoint.dir}`);
      }
    },
    dispose: remove,
  };
}
