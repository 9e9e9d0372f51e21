import type { Interrupt } from '../interrupt.js';
import { type Output, withOutputDir } from '../output.js';
import { createContext, type WorkshopOptions } from './context.js';
import {
  activationsStep,
  augmentationStep,
  cnnStep,
  dataStep,
  denseStep,
  filtersStep,
  learntKernelsStep,
  reportStep,
  signStep,
  transferStep,
  translationStep,
  type WorkshopStep,
} from './steps.js';

/** One entry of the run: a step, and its number and heading if it opens a numbered step. */
interface Entry {
  /** None: the step continues the one before it (no heading, no check for Ctrl-C between). */
  heading?: { n: number; title: string | ((options: WorkshopOptions) => string) };
  run: WorkshopStep;
}

/** The workshop in order; a numbered step opens, after a check for Ctrl-C, with "[5/8] …". */
const STEPS: Entry[] = [
  { run: dataStep },
  { heading: { n: 1, title: 'MNIST with a dense network' }, run: denseStep },
  {
    heading: { n: 2, title: 'Why flattening loses information: a digit translated by hand' },
    run: translationStep,
  },
  {
    heading: { n: 3, title: 'Generating new data: rotation 40°, shifts 0.2' },
    run: augmentationStep,
  },
  {
    heading: { n: 4, title: 'The convolution operation: four classic filters' },
    run: filtersStep,
  },
  { heading: { n: 5, title: 'MNIST with a CNN' }, run: cnnStep },
  { heading: { n: 6, title: 'Visualising activations of a test digit' }, run: activationsStep },
  { run: learntKernelsStep },
  {
    heading: {
      n: 7,
      title:
        'Transfer learning: digits 0–4 teach 5–9; VGG16 frozen (random weights, nothing downloaded)',
    },
    run: transferStep,
  },
  {
    heading: {
      n: 8,
      title: (options) =>
        options.signMnist
          ? 'Sign Language MNIST'
          : 'Sign Language MNIST (skipped: no --sign-mnist)',
    },
    run: signStep,
  },
];

const COUNT = STEPS.filter((entry) => entry.heading).length;

export function workshop(
  options: WorkshopOptions,
  out: Output,
  interrupt: Interrupt,
): Promise<Record<string, unknown>> {
  // Ctrl-C and SIGTERM stop a training after its current batch, or the run between two steps.
  interrupt.stopGracefully();
  // A run that fails or is interrupted (bad Sign-MNIST files, Ctrl-C) leaves no new, half-filled
  // report folder behind.
  return withOutputDir(options.out, () => runWorkshop(options, out, interrupt));
}

async function runWorkshop(
  options: WorkshopOptions,
  out: Output,
  interrupt: Interrupt,
): Promise<Record<string, unknown>> {
  const ctx = await createContext(options, out, interrupt);
  for (const { heading, run } of STEPS) {
    if (heading) {
      interrupt.check();
      const title = typeof heading.title === 'string' ? heading.title : heading.title(options);
      out.info(`\n[${heading.n}/${COUNT}] ${title}`);
    }
    await run(ctx);
  }
  // A signal during the last step stops the run before metrics.json and the report are written.
  interrupt.check();
  await reportStep(ctx);
  return ctx.metrics;
}
