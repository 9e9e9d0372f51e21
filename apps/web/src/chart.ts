/**
 * The live training chart: a Vega-Lite spec (live-chart-spec.ts: loss, accuracy and any val_
 * metric against the batch) compiled to Vega when the page is built (vite-plugins/vega-specs.ts),
 * so the page ships no Vega-Lite compiler for it, drawn to SVG by a Vega view. New batches stream
 * into the view as changesets, at most once per `interval` ms, so drawing stays a small part of
 * the training time.
 */

import { liveTrainingVega } from 'virtual:vega-specs';
import { changeset, parse, View } from 'vega';

/** One value of one metric after `batch` batches (counted from 1 over the whole run). */
export interface ChartPoint {
  batch: number;
  metric: string;
  value: number;
}

/** Keras's short names, as the page shows them. */
const NAMES: Record<string, string> = { acc: 'accuracy', val_acc: 'val_accuracy' };
const METRICS = new Set(['loss', 'accuracy', 'val_loss', 'val_accuracy']);

export class LiveChart {
  private readonly view: View;
  private pending: ChartPoint[] = [];
  private drawing: Promise<void>;
  private busy = true;
  private last = 0;

  constructor(
    container: HTMLElement,
    private readonly interval = 500,
  ) {
    container.replaceChildren();
    this.view = new View(parse(liveTrainingVega), {
      renderer: 'svg',
      container,
      hover: false,
    });
    this.drawing = this.settle(this.view.runAsync());
  }

  /** Queues the loss, accuracy and val_ metrics of `logs` (other keys and NaN are skipped). */
  add(batch: number, logs: Record<string, number> | undefined): void {
    for (const [key, value] of Object.entries(logs ?? {})) {
      const metric = NAMES[key] ?? key;
      if (METRICS.has(metric) && Number.isFinite(value)) {
        this.pending.push({ batch, metric, value });
      }
    }
  }

  /** Draws the queued points unless a draw is running or the last one is under `interval` old. */
  update(): void {
    if (this.busy || this.pending.length === 0) return;
    if (performance.now() - this.last < this.interval) return;
    void this.draw();
  }

  /** Draws every queued point now (after any draw in progress). */
  async flush(): Promise<void> {
    while (this.busy) await this.drawing;
    if (this.pending.length > 0) await this.draw();
  }

  finalize(): void {
    this.view.finalize();
  }

  private draw(): Promise<void> {
    this.busy = true;
    const points = this.pending;
    this.pending = [];
    // resize(): the legend and axes grow with the data; without it the SVG keeps the padding
    // of the first (empty) draw and clips them.
    this.drawing = this.settle(
      this.view.change('points', changeset().insert(points)).resize().runAsync(),
    );
    return this.drawing;
  }

  private async settle(run: Promise<unknown>): Promise<void> {
    try {
      await run;
    } finally {
      this.busy = false;
      this.last = performance.now();
    }
  }
}
