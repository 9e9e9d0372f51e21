import type { backend_util } from '@tensorflow/tfjs-core';

/**
 * im2col for NHWC: row (n, oh, ow) of `patches` holds the receptive field of that output
 * position, laid out (kh, kw, c) like the filter, with zeros where it overhangs the input.
 * `patches` must have batch·outHeight·outWidth·filterHeight·filterWidth·inChannels elements.
 */
export function extractPatches(
  x: Float32Array,
  patches: Float32Array,
  info: backend_util.Conv2DInfo,
): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const { dilationHeight, dilationWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  // With no dilation, a filter row that lies inside the input is one contiguous run of x.
  const rowRun = filterWidth * inChannels;
  let q = 0;
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const w0 = ow * strideWidth - left;
        const wholeRow = dilationWidth === 1 && w0 >= 0 && w0 + filterWidth <= inWidth;
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = oh * strideHeight + kh * dilationHeight - top;
          if (ih < 0 || ih >= inHeight) {
            const end = q + rowRun;
            while (q < end) {
              patches[q++] = 0;
            }
            continue;
          }
          const rowBase = (n * inHeight + ih) * inWidth;
          if (wholeRow) {
            let p = (rowBase + w0) * inChannels;
            const end = q + rowRun;
            while (q < end) {
              patches[q++] = x[p++];
            }
            continue;
          }
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = w0 + kw * dilationWidth;
            const end = q + inChannels;
            if (iw < 0 || iw >= inWidth) {
              while (q < end) {
                patches[q++] = 0;
              }
            } else {
              let p = (rowBase + iw) * inChannels;
              while (q < end) {
                patches[q++] = x[p++];
              }
            }
          }
        }
      }
    }
  }
}
