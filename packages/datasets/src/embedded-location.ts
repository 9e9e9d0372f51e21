// This file sits at the top of src/ so that, from src/ (tests) and from dist/ (the bundle) alike,
// '../data/' is the package's data folder.
import type { MnistFileRole } from './mnist-files.js';

/**
 * URL of the folder holding the embedded MNIST files (four gzipped IDX files). It is taken from a
 * file's URL: a literal folder URL makes bundlers warn that they cannot find it.
 */
export function embeddedMnistUrl(): URL {
  return new URL('./', embeddedMnistUrls().trainImages);
}

/**
 * URL of each embedded MNIST file. Every URL is spelt out as a literal `new URL(file,
 * import.meta.url)`: that is the pattern Vite, webpack and Parcel recognise, copying the file into
 * the app's build and rewriting the URL. A folder URL, or a name put together at run time, is not
 * seen and the files would be missing from a deployed app.
 */
export function embeddedMnistUrls(): Record<MnistFileRole, URL> {
  return {
    trainImages: new URL('../data/mnist/train-images-idx3-ubyte.gz', import.meta.url),
    trainLabels: new URL('../data/mnist/train-labels-idx1-ubyte.gz', import.meta.url),
    testImages: new URL('../data/mnist/t10k-images-idx3-ubyte.gz', import.meta.url),
    testLabels: new URL('../data/mnist/t10k-labels-idx1-ubyte.gz', import.meta.url),
  };
}
