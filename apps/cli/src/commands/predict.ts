import { predict } from '@cnnlab/trainer';
import { terminalPreview } from '@cnnlab/viz';
import { prepareBackend } from '../backend-choice.js';
import { examples, type Register } from '../command.js';
import { loadCheckedModelDir } from '../model-dir.js';
import { readModelPicture } from '../model-picture.js';
import { path, whole } from '../options.js';
import type { Output } from '../output.js';
import { picturePaths } from '../pictures.js';

export const registerPredict: Register = (parent, run) =>
  parent
    .command('predict')
    .description(
      'classify PNG images of any size (made 28×28 grey, light on dark, like MNIST); for a model trained on pictures, PNG/JPEG files made as its training pictures were',
    )
    .argument('<images...>', 'PNG files (a picture model: PNG/JPEG files, or folders of them)')
    .requiredOption('--model-dir <dir>', 'a folder written by cnnlab train', path('--model-dir'))
    .option('--top <k>', 'how many classes to list', whole('--top', { min: 1, max: 1000 }), 3)
    .option('--preview', 'draw each image in the terminal as the network sees it')
    .addHelpText(
      'after',
      examples([
        'cnnlab predict --model-dir models/cnn seven.png',
        'cnnlab predict --model-dir models/cnn *.png --json',
        'cnnlab predict --model-dir models/shapes photo.jpg new-shapes/',
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
  const loaded = await loadCheckedModelDir(options.modelDir);
  const { model, meta } = loaded;
  const paths = meta.images ? await picturePaths(options.images) : options.images;
  const preview = options.preview && !out.quiet && !out.json;
  const results = [];
  for (const path of paths) {
    const { input, made, inverted } = await readModelPicture(path, loaded);
    if (preview) {
      const [side = 28] = made.shape;
      out.info(
        meta.images
          ? terminalPreview(made, { width: Math.min(side, 80) })
          : terminalPreview(made, { width: 28, color: false }),
      );
    }
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
