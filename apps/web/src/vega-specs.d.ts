// What vite-plugins/vega-specs.ts serves: Vega specs compiled from Vega-Lite at build time.
declare module 'virtual:vega-specs' {
  import type { Spec } from 'vega';

  export const liveTrainingVega: Spec;
}
