import { classCounts } from '@cnnlab/datasets/node';
import { examples, type Register } from '../command.js';
import { type DatasetName, loadDataset, parseDataset } from '../data.js';
import { datasetOption, path } from '../options.js';
import type { Output } from '../output.js';
import { registerDatasetsFetch } from './datasets-fetch.js';

/** The `datasets` group: `info` here, `fetch` in its own file. */
export const registerDatasets: Register = (parent, run) => {
  const datasets = parent
    .command('datasets')
    .description('about the data sets: info, fetch')
    .addHelpText(
      'after',
      examples(['cnnlab datasets info --dataset mnist', 'cnnlab datasets fetch --dataset mnist']),
    );
  datasets
    .command('info')
    .description('shapes, source and images per class of a data set')
    .addOption(datasetOption('data set', 'mnist'))
    .option('--data-dir <dir>', 'folder with the data files', path('--data-dir'))
    .addHelpText(
      'after',
      examples([
        'cnnlab datasets info',
        'cnnlab datasets info --dataset sign-mnist --data-dir kaggle --json',
      ]),
    )
    .action(async (opts, cmd) => {
      await run(
        (out) => datasetsInfo({ dataset: parseDataset(opts.dataset), dataDir: opts.dataDir }, out),
        cmd,
      );
    });
  registerDatasetsFetch(datasets, run);
  return datasets;
};

export async function datasetsInfo(
  options: { dataset: DatasetName; dataDir?: string },
  out: Output,
): Promise<void> {
  const data = await loadDataset(options.dataset, { dataDir: options.dataDir });
  const k = data.classNames.length;
  const info = {
    dataset: data.name,
    source: data.description,
    train: { shape: data.train.images.shape, classCounts: classCounts(data.train.labels, k) },
    test: { shape: data.test.images.shape, classCounts: classCounts(data.test.labels, k) },
    classNames: data.classNames,
  };
  const counts = (c: ArrayLike<number>) =>
    Array.from(c, (n, i) => `${data.classNames[i]}:${n}`).join(' ');
  out.result(
    info,
    [
      `${data.name}: ${data.description}`,
      `train ${JSON.stringify(info.train.shape)}  ${counts(info.train.classCounts)}`,
      `test  ${JSON.stringify(info.test.shape)}  ${counts(info.test.classCounts)}`,
    ].join('\n'),
  );
}
