import { predict } from '@cnnlab/trainer';
import { terminalPreview } from '@cnnlab/viz';
import { prepareBackend } from '../backend-choice.js';
import { examples, type Register } from '../command.js';
import { readGreyPng, toMnistLike } from '../image.js';
import { loadCheckedModelDir } from '../model-dir.js';
import { forModel } from '../model-input.js';
import { path, whole } from '../options.js';
import type { Output } from '../output.js';

export const registerPredict: Register = (parent, run) =>
  parent
    .command('predict')
    .description('classify PNG images of any size (made 28×28 grey, light on dark, like MNIST)')
    .argument('<images...>', 'PNG files')
    .requiredOption('--model-dir <dir>', 'a folder written by cnnlab train', path('--model-dir'))
    .option('--top <k>', 'how many classes to list', whole('--top', { min: 1, max: 1000 }), 3)
    .option('--preview', 'draw each image in the terminal as the network sees it')
    .addHelpText(
      'after',
      examples([
        'cnnlab predict --model-dir models/cnn seven.png',
        'cnnlab predict --model-dir models/cnn *.png --json',
      ]),
    )
    .action(async (images: string[], opts, cmd) => {
      await run((out) => predictCommand({ ...opts, images }, out), cmd);
    });

export async function predictCommand(
  options: { modelDir: string; images: string[]; top: number; preview?: boolean },
  out: Output,
): Promise<void> {
  await prepareBackend(out);
  const { model, meta } = await loadCheckedModelDir(options.modelDir);
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
