import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ImageDataGenerator, translate } from '@cnnlab/augment';
import { type LabeledImages, ROCK_PAPER_SCISSORS } from '@cnnlab/datasets/node';
import { convolve2d, namedKernel, workshopFilterFigure } from '@cnnlab/kernels';
import {
  cnnMnist,
  cnnSignLanguage,
  countParams,
  denseMnist,
  freeze,
  summary,
  vgg16,
  withHead,
} from '@cnnlab/models';
import { activations } from '@cnnlab/trainer';
import { evaluate, interruptHandler, predict, train } from '@cnnlab/trainer/node';
import { confusionMatrixChart, trainingCurves, writeSvg } from '@cnnlab/viz/charts';
import {
  activationFigure,
  augmentedBatch,
  convFilters,
  filterFigure,
  imageFigure,
  kernelFigure,
  originalAndTranslated,
} from '@cnnlab/viz/node';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { loadDataset, requireImages } from '../data.js';
import { writeFigureFiles } from '../figure-files.js';
import { percent, writeTextAtomic } from '../output.js';
import { runTransfer, transferFigure, transferText } from '../transfer.js';
import { fromStep, type SignRun, type WorkshopContext } from './context.js';
import { epochsForSteps, WORKSHOP, WORKSHOP_STEPS } from './numbers.js';
import { renderReport } from './report.js';

/** One step of the workshop: reads what earlier steps left in the context, adds its own. */
export type WorkshopStep = (ctx: WorkshopContext) => Promise<void>;

/** The CNN's error as a share of the dense network's, in words ("0.49× …, about half or less"). */
function errorRatio(cnn: number, dense: number): string {
  if (!(dense > 0)) return 'the dense network made no error';
  const r = cnn / dense;
  return `${r.toFixed(2)}× the dense network's error${r <= 0.6 ? ', about half or less' : ''}`;
}

/** Trains as the workshop does (validated on the test split), scores it, draws its curves. */
async function fit(
  ctx: WorkshopContext,
  model: LayersModel,
  data: { train: LabeledImages; test: LabeledImages },
  fitOptions: { epochs: number; batchSize: number; curves: string },
) {
  const history = await train(model, data.train, {
    epochs: fitOptions.epochs,
    batchSize: fitOptions.batchSize,
    validationData: data.test,
    seed: ctx.seed,
    backend: 'keep',
    callbacks: [
      interruptHandler({
        signal: [],
        abortSignal: ctx.interrupt.signal,
        log: (line) => ctx.out.info(line),
      }),
    ],
    ...ctx.progress,
  });
  ctx.interrupt.check();
  const evaluation = await evaluate(model, data.test);
  // One epoch (quick mode) still draws a curve: the training dots are tenths of the epoch.
  await writeSvg(
    trainingCurves(history.history, { batches: history.batches }),
    join(ctx.dir, fitOptions.curves),
  );
  // One record a gradient step: what the report compares with the workshop's steps.
  return { history, evaluation, steps: history.batches.length };
}

/** Sign data is read first so a bad CSV fails before minutes of training, not after. */
export const dataStep: WorkshopStep = async (ctx) => {
  const signCsv = ctx.options.signMnist;
  if (!signCsv) return;
  const runs: Omit<SignRun, 'data'>[] = [
    { key: 'rockPaperScissors', classes: [...ROCK_PAPER_SCISSORS], n: 3 },
    { key: 'letters', classes: undefined, n: 24 },
  ];
  ctx.signRuns = await Promise.all(
    runs.map(async (run) => ({
      ...run,
      data: await loadDataset('sign-mnist', {
        signCsv,
        ...(run.classes ? { classes: run.classes } : {}),
      }),
    })),
  );
  for (const run of ctx.signRuns) {
    requireImages(run.data, 'train', run.classes);
    requireImages(run.data, 'test', run.classes);
  }
};

/** 1. The dense network. */
export const denseStep: WorkshopStep = async (ctx) => {
  const { digits, test } = ctx;
  const epochs = ctx.options.quick
    ? 1
    : epochsForSteps(WORKSHOP_STEPS.dense, digits.labels.length, 256);
  const model = denseMnist({ seed: ctx.seed });
  const { history, evaluation, steps } = await fit(
    ctx,
    model,
    { train: digits, test },
    { epochs, batchSize: 256, curves: 'dense-curves.svg' },
  );
  ctx.dense = { model, evaluation };
  ctx.out.info(
    `dense test accuracy ${percent(evaluation.accuracy)} (workshop ≈ ${percent(WORKSHOP.dense)})`,
  );
  ctx.figures.push({
    file: 'dense-curves.svg',
    title: 'Dense network: training curves',
    text: `Dense 512 relu, dropout 0.5, dense 10 softmax; ${epochs} epoch(s) of ${digits.labels.length.toLocaleString('en')} digits at batch 256 = ${steps.toLocaleString('en')} gradient steps (workshop: 10 epochs of 60,000 = ${WORKSHOP_STEPS.dense.toLocaleString('en')}). Test accuracy ${percent(evaluation.accuracy)} on ${test.labels.length.toLocaleString('en')} digits (workshop: ≈ 97.9% on full MNIST). Dots: training; line: validation.`,
  });
  ctx.metrics.dense = {
    epochs,
    batchSize: 256,
    steps,
    workshopSteps: WORKSHOP_STEPS.dense,
    testAccuracy: evaluation.accuracy,
    testLoss: evaluation.loss,
    workshopAccuracy: WORKSHOP.dense,
    history: history.history,
    seconds: history.seconds,
  };
};

/** 2. A digit moved by hand: a dense network sees different inputs. */
export const translationStep: WorkshopStep = async (ctx) => {
  const dense = fromStep(ctx.dense, 'the dense network').model;
  const { digit } = ctx;
  const moved = translate(digit, 4, -4);
  await writeFigureFiles(originalAndTranslated(digit, moved), ctx.dir, 'translation');
  const [onOriginal, onMoved] = await Promise.all([
    predict(dense, { data: digit.data, shape: [1, 28, 28] }),
    predict(dense, { data: moved.data, shape: [1, 28, 28] }),
  ]);
  const label = ctx.test.labels[0] ?? 0;
  ctx.figures.push({
    file: 'translation.svg',
    title: 'The same digit, moved 4 pixels right and 4 up',
    text: `t[:24, 4:] = img[4:, :24]. Label ${label}; the dense network says ${onOriginal[0]?.class} for the original and ${onMoved[0]?.class} for the moved copy: every pixel it learnt from is now somewhere else.`,
  });
  ctx.metrics.translation = {
    label,
    denseOnOriginal: onOriginal[0]?.class,
    denseOnTranslated: onMoved[0]?.class,
  };
};

/** 3. New data from old: the workshop's generator. */
export const augmentationStep: WorkshopStep = async (ctx) => {
  const generator = new ImageDataGenerator({
    rotationRange: 40,
    widthShiftRange: 0.2,
    heightShiftRange: 0.2,
  });
  const nine = { data: ctx.test.images.data.subarray(0, 9 * 784), shape: [9, 28, 28, 1] };
  const flow = generator.flow(nine, undefined, {
    batchSize: 9,
    seed: ctx.seed,
    shuffle: false,
  });
  const batch = flow.batch(0);
  await writeFigureFiles(augmentedBatch(batch.xs), ctx.dir, 'augmentation');
  ctx.figures.push({
    file: 'augmentation.svg',
    title: 'Augmented samples',
    text: 'ImageDataGenerator(rotation_range=40, width_shift_range=0.2, height_shift_range=0.2): nine test digits, each rotated and shifted at random.',
  });
};

/** 4. The convolution operation and the classic filters. */
export const filtersStep: WorkshopStep = async (ctx) => {
  const worked = convolve2d(
    [
      [2, 3, 4, 2, 4],
      [0, 1, 4, 1, 1],
      [1, 1, 0, 7, 2],
      [3, 2, 3, 1, 1],
      [1, 2, 0, 2, 8],
    ],
    namedKernel('edge-detector'),
    { mode: 'valid' },
  );
  const panels = workshopFilterFigure(ctx.digit);
  const [p0, p1, p2, p3] = panels;
  if (p0 && p1 && p2 && p3) {
    // The 'full' smoothing is 30×30 beside 28×28 panels: viz centres it, as imshow would show it.
    await writeFigureFiles(filterFigure([p0, p1, p2, p3]), ctx.dir, 'filters');
  }
  ctx.figures.push({
    file: 'filters.svg',
    title: panels.map((p) => p.title).join(' · '),
    text: `The test digit convolved with the smoothing, horizontal-edge and edge-detector kernels (scipy's convolve2d). Worked example: the edge detector over the 5×5 matrix gives ${worked.data[0]} at the first 'valid' position (workshop: -7).`,
  });
  ctx.metrics.convolution = {
    workedExampleFirst: worked.data[0],
    workedExampleShape: worked.shape,
  };
};

/** 5. The CNN. */
export const cnnStep: WorkshopStep = async (ctx) => {
  const { digits, test } = ctx;
  const denseEval = fromStep(ctx.dense, 'the dense network').evaluation;
  const epochs = ctx.options.quick
    ? 1
    : epochsForSteps(WORKSHOP_STEPS.cnn, digits.labels.length, 64);
  const model = cnnMnist({ seed: ctx.seed });
  const { history, evaluation, steps } = await fit(
    ctx,
    model,
    { train: digits, test },
    { epochs, batchSize: 64, curves: 'cnn-curves.svg' },
  );
  ctx.cnn = { model, evaluation };
  ctx.out.info(
    `CNN test accuracy ${percent(evaluation.accuracy)} (workshop ≈ ${percent(WORKSHOP.cnn)})`,
  );
  await writeSvg(
    confusionMatrixChart(evaluation.confusionMatrix, [...'0123456789'], {
      trueTitle: 'True digit',
      predictedTitle: 'Predicted digit',
    }),
    join(ctx.dir, 'cnn-confusion.svg'),
  );
  const denseError = 1 - denseEval.accuracy;
  const cnnError = 1 - evaluation.accuracy;
  ctx.figures.push({
    file: 'cnn-curves.svg',
    title: 'CNN: accuracy and loss, training and validation',
    text: `Three 3×3 convolutions, two max-pools, dense 64; ${epochs} epoch(s) at batch 64 = ${steps.toLocaleString('en')} gradient steps (workshop: 2 epochs of 60,000 = ${WORKSHOP_STEPS.cnn.toLocaleString('en')}), validated on the test digits. Test accuracy ${percent(evaluation.accuracy)} (workshop: ≈ 99.2%); error ${percent(cnnError)} against the dense network's ${percent(denseError)}: ${errorRatio(cnnError, denseError)} (workshop: 0.8% against 2.1%).`,
  });
  ctx.figures.push({
    file: 'cnn-confusion.svg',
    title: 'CNN: confusion matrix on the test digits',
    text: 'Rows are the true digits, columns the predictions, each cell a count: the diagonal is right, every other cell a mistake.',
  });
  ctx.metrics.cnn = {
    epochs,
    batchSize: 64,
    steps,
    workshopSteps: WORKSHOP_STEPS.cnn,
    errorRatio: denseError > 0 ? cnnError / denseError : null,
    testAccuracy: evaluation.accuracy,
    testLoss: evaluation.loss,
    workshopAccuracy: WORKSHOP.cnn,
    perClassAccuracy: evaluation.perClassAccuracy,
    mostConfused: evaluation.mostConfused.slice(0, 5),
    history: history.history,
    seconds: history.seconds,
  };
};

/** The CNN's convolution layers, in order. */
const convLayers = (model: LayersModel) =>
  model.layers.filter((layer) => layer.getClassName() === 'Conv2D');

/** 6. What the convolutions see: each conv layer's maps for the test digit. */
export const activationsStep: WorkshopStep = async (ctx) => {
  const cnn = fromStep(ctx.cnn, 'the CNN').model;
  const maps = await activations(
    cnn,
    { data: ctx.digit.data, shape: [1, 28, 28, 1] },
    convLayers(cnn).map((layer) => layer.name),
  );
  const written: { layer: string; shape: number[]; file: string }[] = [];
  for (const { layer, activation } of maps) {
    await writeFigureFiles(
      activationFigure(activation, { layer }),
      ctx.dir,
      `activations-${layer}`,
    );
    const file = `activations-${layer}.svg`;
    written.push({ layer, shape: activation.shape, file });
    ctx.figures.push({
      file,
      title: `Activations of ${layer} ${JSON.stringify(activation.shape.slice(1))}`,
      text: 'Each map standardised, ×64 + 128, clipped and coloured with viridis, 16 a row: early layers keep the digit\u2019s shape, later ones respond to more abstract parts.',
    });
  }
  ctx.metrics.activations = written;
};

/** Still step 6: the filters the CNN learnt, beside the ones the workshop wrote by hand. */
export const learntKernelsStep: WorkshopStep = async (ctx) => {
  const first = convLayers(fromStep(ctx.cnn, 'the CNN').model)[0];
  const weights = first?.getWeights()[0];
  if (!first || !weights) return;
  const classic = [
    { title: 'Smoothing', image: namedKernel('smoothing') },
    { title: 'Horizontal edges', image: namedKernel('horizontal-edge') },
    { title: 'All edges', image: namedKernel('edge-detector') },
  ];
  await writeFigureFiles(
    [
      kernelFigure(classic, { title: 'Written by hand (step 4)' }),
      convFilters(
        { data: await weights.data(), shape: weights.shape },
        {
          title: `Learnt by ${first.name}: ${weights.shape[3]} kernels of ${weights.shape[0]}×${weights.shape[1]}`,
        },
      ),
    ],
    ctx.dir,
    'kernels',
  );
  ctx.figures.push({
    file: 'kernels.svg',
    title: 'Kernels: written by hand, and learnt by the CNN',
    text: `Left, the classic 3×3 kernels of step 4, each cell its weight. Right, the ${weights.shape[3]} kernels of the CNN's first layer after training: nobody wrote them. The network learns its own filters, and some look like edge and stroke detectors, from the data alone.`,
  });
};

/**
 * 7. A pretrained model, frozen, with a new head. First on real digits: the CNN learns 0–4, then
 * its frozen convolutions under a new head learn 5–9 from a few examples, against the same CNN
 * from scratch. Then VGG16's shape, frozen, with a new head (random weights: the summary).
 */
export const transferStep: WorkshopStep = async (ctx) => {
  const quick = Boolean(ctx.options.quick);
  // Quick: one count on a shorter base (a one-epoch base made transfer a coin toss); full: the
  // counts and epochs of `cnnlab transfer`.
  const settings = quick
    ? { examples: [30], epochs: 5, baseEpochs: 2, seed: ctx.seed }
    : { examples: [10, 30, 100], epochs: 5, baseEpochs: 3, seed: ctx.seed };
  const experiment = await runTransfer(
    { train: ctx.digits, test: ctx.test },
    settings,
    ctx.out,
    ctx.interrupt,
  );
  ctx.interrupt.check();
  await writeSvg(transferFigure(experiment), join(ctx.dir, 'transfer.svg'));
  for (const r of experiment.results) {
    ctx.out.info(
      `transfer, ${r.examplesPerClass} examples a digit: ${percent(r.transferred.testAccuracy)} transferred, ${percent(r.scratch.testAccuracy)} from scratch`,
    );
  }
  ctx.figures.push({
    file: 'transfer.svg',
    title: 'Transfer learning on real digits: digits 0–4 teach digits 5–9',
    text: transferText(experiment),
  });
  ctx.metrics.transfer = {
    sourceClasses: experiment.sourceClasses,
    targetClasses: experiment.targetClasses,
    epochs: experiment.epochs,
    batchSize: experiment.batchSize,
    base: experiment.base,
    testImages: experiment.testImages,
    results: experiment.results,
    seconds: experiment.seconds,
  };

  const base = freeze(vgg16({ includeTop: false, inputShape: [150, 150, 3] }));
  const baseSummary = summary(base);
  const transfer = withHead(base, { classes: 3, hidden: [256], dropout: 0.5 });
  const transferParams = countParams(transfer);
  ctx.vggText = `${baseSummary}\n\nWith a new head (Flatten, Dense 256 relu, Dropout 0.5, Dense 3 softmax):\n${summary(transfer)}\n`;
  await writeTextAtomic(join(ctx.dir, 'vgg16-summary.txt'), ctx.vggText);
  ctx.metrics.vgg16 = { base: countParams(base), transfer: transferParams };
  tf.dispose(transfer.getWeights());
};

/** 8. Sign language, when the Kaggle CSVs are given (read by dataStep). */
export const signStep: WorkshopStep = async (ctx) => {
  if (!ctx.options.signMnist) return;
  const sign: Record<string, unknown> = {};
  for (const run of ctx.signRuns) {
    const data = run.data;
    if (run.n === 3) {
      // The hands themselves, each under its letter (A rock, B paper, V scissors).
      const shown = Math.min(16, data.test.labels.length);
      const samples = imageFigure(
        { data: data.test.images.data.subarray(0, shown * 784), shape: [shown, 28, 28] },
        {
          titles: Array.from(
            data.test.labels.subarray(0, shown),
            (l) => data.classNames[l] ?? String(l),
          ),
          columns: 8,
          colormap: 'gray',
          title: 'Sign Language MNIST: A (rock), B (paper), V (scissors)',
        },
      );
      await writeFigureFiles(samples, ctx.dir, 'sign-samples');
      ctx.figures.push({
        file: 'sign-samples.svg',
        title: 'Rock, paper, scissors in sign language',
        text: 'The first test images of the three letters, each titled with its letter.',
      });
    }
    const model = cnnSignLanguage({ classes: run.n, seed: ctx.seed });
    const epochs = ctx.options.quick ? 1 : 5;
    const file = `sign-${run.key}-curves.svg`;
    const { history, evaluation: result } = await fit(ctx, model, data, {
      epochs,
      batchSize: 64,
      curves: file,
    });
    ctx.out.info(`sign ${run.key}: test accuracy ${percent(result.accuracy)}`);
    ctx.figures.push({
      file,
      title: run.n === 3 ? 'Rock, paper, scissors (letters A, B, V)' : 'All 24 letters',
      text: `A CNN with dense 128 and dropout 0.5; ${epochs} epoch(s). Test accuracy ${percent(result.accuracy)} over ${data.test.labels.length} images.`,
    });
    sign[run.key] = {
      classes: data.classNames,
      epochs,
      testAccuracy: result.accuracy,
      history: history.history,
    };
  }
  ctx.metrics.signMnist = sign;
};

/** The end: metrics.json, and one self-contained page (mailed or moved, it shows every figure). */
export const reportStep: WorkshopStep = async (ctx) => {
  const { dir, metrics, figures } = ctx;
  metrics.seconds = (Date.now() - ctx.started) / 1000;
  await writeTextAtomic(join(dir, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  const embedded = new Map<string, Uint8Array>();
  for (const file of [...figures.map((f) => f.file), 'metrics.json']) {
    embedded.set(file, await readFile(join(dir, file)));
  }
  await writeTextAtomic(
    join(dir, 'index.html'),
    renderReport({
      figures,
      metrics,
      vggText: fromStep(ctx.vggText, "VGG16's summary"),
      embedded,
    }),
  );
  ctx.out.info(`\nreport: ${join(dir, 'index.html')} (${metrics.seconds} s)`);
};
