import { toSvg } from '../chart-svg.js';
import type { VegaLiteSpec } from '../charts.js';
import { writeFileAtomic } from './write-file.js';

/** toSvg written atomically to `path`; a VizError naming the path when it cannot be. */
export async function writeSvg(spec: VegaLiteSpec, path: string): Promise<void> {
  await writeFileAtomic(path, await toSvg(spec));
}
