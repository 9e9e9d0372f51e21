// This file sits at the top of src/ so that, from src/ (tests) and from dist/ (the bundle) alike,
// '../data/' is the package's data folder.

/** URL of the folder holding the embedded MNIST files (four gzipped IDX files). */
export function embeddedMnistUrl(): URL {
  return new URL('../data/mnist/', import.meta.url);
}
