// What vite-plugins/vega-specs.ts serves: Vega specs compiled from Vega-Lite at build time.
declare module 'virtual:vega-specs' {
  export const liveTrainingVega: object;
}
