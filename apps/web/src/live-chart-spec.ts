/** The live training chart's Vega-Lite spec, compiled at build time (vite-plugins/vega-specs.ts). */
import type { TopLevelSpec } from 'vega-lite';

// Colours in the order of the (alphabetically sorted) metric names.
const COLORS = ['#1f6fb2', '#c0392b', '#7fb3e0', '#e59866'];

/** The chart's Vega-Lite spec: one line per metric; val_ metrics, one point per epoch, dashed. */
export function liveTrainingSpec(): TopLevelSpec {
  const isVal = 'test(/^val_/, datum.metric)';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: 'Loss and accuracy per batch',
    width: 320,
    height: 130,
    data: { name: 'points' },
    encoding: {
      x: { field: 'batch', type: 'quantitative', title: 'Batch', axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', title: null },
      color: {
        field: 'metric',
        type: 'nominal',
        title: null,
        scale: { range: COLORS },
        legend: { orient: 'top' },
      },
    },
    layer: [
      {
        transform: [{ filter: `!${isVal}` }],
        mark: { type: 'line', strokeWidth: 1.5 },
      },
      {
        transform: [{ filter: isVal }],
        mark: { type: 'line', point: true, strokeDash: [4, 2] },
      },
    ],
  };
}
