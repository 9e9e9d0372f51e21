// `virtual:vega-specs`: the page's own Vega-Lite specs compiled to Vega when the page is built, so
// that the browser parses plain Vega and loads no Vega-Lite compiler for them.

import { compile } from 'vega-lite';
import type { Plugin } from 'vite';
import { liveTrainingSpec } from '../src/live-chart-spec';

const ID = 'virtual:vega-specs';
const RESOLVED = `\0${ID}`;

export function vegaSpecs(): Plugin {
  return {
    name: 'cnnlab-vega-specs',
    resolveId: (id) => (id === ID ? RESOLVED : undefined),
    load(id) {
      if (id !== RESOLVED) return undefined;
      const liveTrainingVega = compile(liveTrainingSpec()).spec;
      return `export const liveTrainingVega = ${JSON.stringify(liveTrainingVega)};\n`;
    },
  };
}
