import { predict } from '@cnnlab/trainer';
import { terminalPreview } from '@cnnlab/viz';
import { readGreyPng, toMnistLike } from '../image.js';
import { loadModelDir } from '../model-dir.js';
import { forModel } from '../model-input.js';
import { requireFiniteWeights } from '../model-weights.js';
import type { Output } from '../output.js';
import { prepareBackend } from '../training.js';

export async function predictCommand(
  options: { modelDir: string; images: string[]; top: number; preview?: boolean },
  out: Output,
): Promise<void> {
  await prepareBackend(out);
  const { model, meta } = await loadModelDir(options.modelDir);
  await requireFiniteWeights(model, options.modelDir);
  const results = [];
  for (const path of options.images) {
    const { image, inverted } = toMnistLike(await readGreyPng(path));
    if (options.preview && !out.quiet && !out.json) {
      out.info(terminalPreview(image, { width: 28, color: false }));
    }
    const input = forModel({ data: image.data, shape: [1, 28, 28] }, model.inputs[0]?.shape ?? []);
    const [p] = await predict(model, input, { topK: options.top });
    if (!p) continue;
    const name = (c: number) => meta.classNames[c] ?? String(c);
    results.push({
      image: path,
      class: p.class,
      label: name(p.class),
      probability: p.probability,
      inverted,
      topK: p.topK.map((t) => ({
        class: t.class,
        label: name(t.class),
        probability: t.probability,
      })),
    });
  }
  out.result(
    results,
    results
      .map(
        (r) =>
          `${r.image}: ${r.label} (${(r.probability * 100).toFixed(1)}%)${r.inverted ? ' [inverted: dark ink on light]' : ''}`,
      )
      .join('\n'),
  );
}
