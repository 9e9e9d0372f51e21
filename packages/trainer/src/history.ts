import type { Logs, TrainCallback, TrainParams } from './callback.js';

/** What train returns: Keras's History, plus timings, the backend and what was done to the data. */
export interface TrainHistory {
  /** Epoch indices run (0-based), as Keras's `History.epoch`. */
  epoch: number[];
  /** Per-epoch logs under Keras's keys: loss, acc, val_loss, val_acc, and accuracy aliases. */
  history: Record<string, number[]>;
  /**
   * Each batch's logs (0-based epoch and batch, loss and accuracy), in order: what a curve of a
   * single epoch is drawn from. One small record a batch, so a long run stays a few hundred KB.
   */
  batches: BatchRecord[];
  /** Wall-clock seconds of each epoch, validation included. */
  seconds: number[];
  /** Training images per second in each epoch. */
  imagesPerSecond: number[];
  /** The tfjs backend that trained, e.g. 'cnnlab-native'. */
  backend: string;
  /** What train did to data, model and backend to make them fit. */
  notes: string[];
  params: TrainParams;
}

// Keras 2 logs `acc`, tf.keras 2.3+ logs `accuracy`: both spellings are there to read.
const ALIASES: Record<string, string> = {
  acc: 'accuracy',
  val_acc: 'val_accuracy',
  accuracy: 'acc',
  val_accuracy: 'val_acc',
};

/** One batch's logs, as onBatchEnd saw them. */
export interface BatchRecord {
  epoch: number;
  batch: number;
  loss?: number;
  acc?: number;
}

/** Records each epoch's logs and timing, and each batch's loss and accuracy, for the history. */
export class HistoryRecorder implements TrainCallback {
  readonly epoch: number[] = [];
  readonly history: Record<string, number[]> = {};
  readonly seconds: number[] = [];
  readonly batches: BatchRecord[] = [];
  readonly imagesPerSecond: number[] = [];
  private started = 0;
  private samples = 0;
  private currentEpoch = 0;

  setParams(params: TrainParams): void {
    this.samples = params.samples;
  }

  onEpochBegin(epoch: number): void {
    this.started = performance.now();
    this.currentEpoch = epoch;
  }

  onBatchEnd(batch: number, logs: Logs = {}): void {
    const record: BatchRecord = { epoch: this.currentEpoch, batch };
    if (typeof logs.loss === 'number') record.loss = logs.loss;
    const acc = logs.acc ?? logs.accuracy;
    if (typeof acc === 'number') record.acc = acc;
    this.batches.push(record);
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const seconds = (performance.now() - this.started) / 1000;
    this.epoch.push(epoch);
    this.seconds.push(seconds);
    this.imagesPerSecond.push(seconds > 0 ? this.samples / seconds : 0);
    const all: Logs = { ...logs };
    for (const [key, alias] of Object.entries(ALIASES)) {
      if (key in logs && !(alias in logs)) all[alias] = logs[key];
    }
    for (const [key, value] of Object.entries(all)) {
      this.history[key] ??= [];
      this.history[key].push(value);
    }
  }
}
