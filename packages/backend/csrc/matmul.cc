// Batched matrix multiply on sgemm: the transposes are folded into the CBLAS flags, never
// materialised. Threads take whole matrices when the batch is large, else row ranges.
#include "blas.h"

#include "kernels.h"
#include "thread_pool.h"

namespace cnnlab {

void batch_matmul(int batch, int m, int n, int k, bool trans_a, bool trans_b, const float* a,
                  long a_stride, const float* b, long b_stride, const float* bias, int bias_size,
                  Activation act, double alpha, float* out) {
  const CBLAS_TRANSPOSE ta = trans_a ? CblasTrans : CblasNoTrans;
  const CBLAS_TRANSPOSE tb = trans_b ? CblasTrans : CblasNoTrans;
  const int lda = trans_a ? m : k;
  const int ldb = trans_b ? k : n;
  const long out_stride = long(m) * n;
  // Row r of op(A) starts at a + r * lda when A is not transposed, at a + r when it is.
  const long a_row_step = trans_a ? 1 : lda;
  const int parts = parts_for(long(batch) * m * n * k, grain_macs());
  const bool by_batch = batch >= parts;
  parallel_run(parts, [&](int part) {
    long b0 = 0, b1 = batch, r0 = 0, r1 = m;
    if (by_batch) {
      split_range(batch, parts, part, &b0, &b1);
    } else {
      split_range(m, parts, part, &r0, &r1);
    }
    if (r1 <= r0) return;
    for (long i = b0; i < b1; ++i) {
      float* c = out + i * out_stride + r0 * n;
      if (k == 0) {
        for (long j = 0; j < (r1 - r0) * n; ++j) c[j] = 0.0f;
      } else {
        cblas_sgemm(CblasRowMajor, ta, tb, int(r1 - r0), n, k, 1.0f,
                    a + i * a_stride + r0 * a_row_step, lda, b + i * b_stride, ldb, 0.0f, c, n);
      }
      apply_bias_activation(c, r1 - r0, n, bias, bias_size, act, alpha);
    }
  });
}

}  // namespace cnnlab
