import { saveModel } from '@cnnlab/models/node';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Logs, TrainCallback } from '../callback.js';
import { TrainError } from '../errors.js';
import { improvesUp, type MonitorMode } from '../monitor.js';

export interface ModelCheckpointOptions {
  /** Folder that receives the model: weights under a content-derived name, model.json last (one commit point). */
  dir: string;
  /** The logged value that decides the best epoch. Default 'val_loss'. */
  monitor?: string;
  /** Save only when `monitor` improves. Default false: save after every epoch. */
  saveBestOnly?: boolean;
  mode?: MonitorMode;
}

export interface ModelCheckpoint extends TrainCallback {
  readonly dir: string;
  /** Epochs saved (0-based). */
  readonly saved: number[];
  /** Saves the model now, whatever the monitor says (the interrupt handler calls it). */
  save(): Promise<void>;
}

/**
 * Keras's ModelCheckpoint: writes the model to a folder after each (best) epoch, atomically. An
 * epoch whose mean loss is NaN or infinite is never saved.
 */
export function modelCheckpoint(options: ModelCheckpointOptions): ModelCheckpoint {
  if (typeof options?.dir !== 'string' || options.dir === '') {
    throw new TrainError('dir is missing; expected the folder to write checkpoints to', 'dir');
  }
  const monitor = options.monitor ?? 'val_loss';
  const up = improvesUp(monitor, options.mode ?? 'auto');
  let best = up ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  let model: tfl.LayersModel | undefined;
  const saved: number[] = [];
  const save = async () => {
    if (!model)
      throw new TrainError('modelCheckpoint has no model yet; expected train to set it', 'model');
    // @cnnlab/models writes each file to a temporary name and renames it: never half a model.
    await saveModel(model, options.dir);
  };
  return {
    dir: options.dir,
    saved,
    save,
    setModel(m) {
      model = m;
    },
    onTrainBegin() {
      best = up ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    },
    async onEpochEnd(epoch, logs: Logs = {}) {
      // A model whose loss became NaN or infinite is not worth keeping.
      if (logs.loss !== undefined && !Number.isFinite(logs.loss)) return;
      if (options.saveBestOnly) {
        const value = logs[monitor];
        // An epoch cut short (Ctrl-C, a NaN loss) ends without its validation logs.
        if (value === undefined && model?.stopTraining) return;
        if (value === undefined) {
          throw new TrainError(
            `modelCheckpoint monitors "${monitor}", which the logs lack; expected one of ${Object.keys(logs).join(', ')}`,
            'monitor',
          );
        }
        if (!(up ? value > best : value < best)) return;
        best = value;
      }
      await save();
      saved.push(epoch);
    },
  };
}
