import type { backend_util } from '@tensorflow/tfjs-core';

/**
 * col2im for NHWC, the adjoint of extractPatches (im2col.ts): adds every patch element back onto
 * the input position it was read from (positions shared by overlapping patches sum). Clears `dx`
 * first.
 */
export function accumulatePatches(
  patches: Float32Array,
  dx: Float32Array,
  info: backend_util.Conv2DInfo,
): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const { dilationHeight, dilationWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const rowRun = filterWidth * inChannels;
  dx.fill(0);
  let q = 0;
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const w0 = ow * strideWidth - left;
        const wholeRow = dilationWidth === 1 && w0 >= 0 && w0 + filterWidth <= inWidth;
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = oh * strideHeight + kh * dilationHeight - top;
          if (ih < 0 || ih >= inHeight) {
            q += rowRun;
            continue;
          }
          const rowBase = (n * inHeight + ih) * inWidth;
          if (wholeRow) {
            let p = (rowBase + w0) * inChannels;
            const end = q + rowRun;
            while (q < end) {
              dx[p++] += patches[q++];
            }
            continue;
          }
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = w0 + kw * dilationWidth;
            if (iw >= 0 && iw < inWidth) {
              let p = (rowBase + iw) * inChannels;
              const end = q + inChannels;
              while (q < end) {
                dx[p++] += patches[q++];
              }
            } else {
              q += inChannels;
            }
          }
        }
      }
    }
  }
}
