// Convolutions as im2col + one GEMM per block of output rows. Each thread owns a contiguous
// range of output rows (or of images, where rows of one image interact), and walks it in
// blocks small enough that the im2col block stays in cache between being written and read.
#include "blas.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "kernels.h"
#include "thread_pool.h"

namespace cnnlab {
namespace {

// Rows of im2col per GEMM call: about an L2 cache's worth for the forward and input-gradient
// passes (the block is written, then read at once); larger for the filter gradient, where each
// call also re-reads and re-writes the whole filter-sized result.
constexpr long kBlockBytes = 256 * 1024;
constexpr long kFilterBlockBytes = 1024 * 1024;

long patch_size(const ConvGeometry& g) { return long(g.filter_h) * g.filter_w * g.in_c; }

// True when the im2col matrix would be the input itself (1x1 filter, stride 1, no padding).
bool is_pointwise(const ConvGeometry& g) {
  return g.filter_h == 1 && g.filter_w == 1 && g.stride_h == 1 && g.stride_w == 1 &&
         g.pad_top == 0 && g.pad_left == 0 && g.out_h == g.in_h && g.out_w == g.in_w;
}

long block_rows(const ConvGeometry& g, long bytes = kBlockBytes) {
  long rows = bytes / (4 * patch_size(g));
  return std::max(32L, rows);
}

// Writes rows [p0, p1) of the im2col matrix (row p = output pixel (n, oy, ox); columns in the
// filter's (ky, kx, c) order) into col; out-of-image taps are zero (the padding).
void im2col(const ConvGeometry& g, const float* x, long p0, long p1, float* col) {
  const long k = patch_size(g);
  const long c = g.in_c;
  const long img = long(g.in_h) * g.in_w * c;
  long ox = p0 % g.out_w;
  long oy = (p0 / g.out_w) % g.out_h;
  long n = p0 / (long(g.out_w) * g.out_h);
  for (long p = p0; p < p1; ++p) {
    float* dst = col + (p - p0) * k;
    const float* src = x + n * img;
    const long iy0 = oy * g.stride_h - g.pad_top;
    const long ix0 = ox * g.stride_w - g.pad_left;
    for (int ky = 0; ky < g.filter_h; ++ky) {
      const long iy = iy0 + long(ky) * g.dilation_h;
      if (iy < 0 || iy >= g.in_h) {
        std::memset(dst, 0, sizeof(float) * g.filter_w * c);
        dst += g.filter_w * c;
        continue;
      }
      const float* row = src + iy * g.in_w * c;
      if (g.dilation_w == 1 && ix0 >= 0 && ix0 + g.filter_w <= g.in_w) {
        // The whole filter row lies inside the image: one contiguous copy.
        std::memcpy(dst, row + ix0 * c, sizeof(float) * g.filter_w * c);
        dst += g.filter_w * c;
        continue;
      }
      for (int kx = 0; kx < g.filter_w; ++kx) {
        const long ix = ix0 + long(kx) * g.dilation_w;
        if (ix < 0 || ix >= g.in_w) {
          std::memset(dst, 0, sizeof(float) * c);
        } else {
          std::memcpy(dst, row + ix * c, sizeof(float) * c);
        }
        dst += c;
      }
    }
    if (++ox == g.out_w) {
      ox = 0;
      if (++oy == g.out_h) {
        oy = 0;
        ++n;
      }
    }
  }
}

// Adds rows [p0, p1) of a column-gradient matrix back onto the image gradient dx (the
// transpose of im2col). The rows must all belong to images owned by the calling thread.
void col2im(const ConvGeometry& g, const float* col, long p0, long p1, float* dx) {
  const long k = patch_size(g);
  const long c = g.in_c;
  const long img = long(g.in_h) * g.in_w * c;
  long ox = p0 % g.out_w;
  long oy = (p0 / g.out_w) % g.out_h;
  long n = p0 / (long(g.out_w) * g.out_h);
  for (long p = p0; p < p1; ++p) {
    const float* src = col + (p - p0) * k;
    float* dst = dx + n * img;
    const long iy0 = oy * g.stride_h - g.pad_top;
    const long ix0 = ox * g.stride_w - g.pad_left;
    for (int ky = 0; ky < g.filter_h; ++ky) {
      const long iy = iy0 + long(ky) * g.dilation_h;
      if (iy < 0 || iy >= g.in_h) {
        src += g.filter_w * c;
        continue;
      }
      float* row = dst + iy * g.in_w * c;
      for (int kx = 0; kx < g.filter_w; ++kx) {
        const long ix = ix0 + long(kx) * g.dilation_w;
        if (ix >= 0 && ix < g.in_w) {
          float* d = row + ix * c;
          for (long i = 0; i < c; ++i) d[i] += src[i];
        }
        src += c;
      }
    }
    if (++ox == g.out_w) {
      ox = 0;
      if (++oy == g.out_h) {
        oy = 0;
        ++n;
      }
    }
  }
}

}  // namespace

void apply_bias_activation(float* y, long rows, long cols, const float* bias, int bias_size,
                           Activation act, double alpha) {
  const long n = rows * cols;
  if (bias != nullptr && bias_size == 1) {
    const float b = bias[0];
    for (long i = 0; i < n; ++i) y[i] += b;
  } else if (bias != nullptr) {
    for (long r = 0; r < rows; ++r) {
      float* row = y + r * cols;
      for (long j = 0; j < cols; ++j) row[j] += bias[j];
    }
  }
  switch (act) {
    case Activation::kLinear:
      break;
    case Activation::kRelu:
      // Matches Math.max(0, v): NaN stays NaN.
      for (long i = 0; i < n; ++i) y[i] = (y[i] > 0.0f || y[i] != y[i]) ? y[i] : 0.0f;
      break;
    case Activation::kRelu6:
      for (long i = 0; i < n; ++i) {
        float v = y[i];
        // Like Math.min(Math.max(0, v), 6): NaN stays NaN, -0 becomes +0.
        y[i] = v > 0.0f ? (v > 6.0f ? 6.0f : v) : (v != v ? v : 0.0f);
      }
      break;
    case Activation::kLeakyRelu:
      // In double, as tfjs multiplies the (double) alpha attribute by the float input.
      for (long i = 0; i < n; ++i) y[i] = y[i] < 0.0f ? float(alpha * double(y[i])) : y[i];
      break;
  }
}

void conv2d_forward(const ConvGeometry& g, const float* x, const float* w, const float* bias,
                    int bias_size, Activation act, double alpha, float* y) {
  if (conv2d_forward_direct(g, x, w, bias, bias_size, act, alpha, y)) return;
  const long rows = long(g.batch) * g.out_h * g.out_w;
  const long k = patch_size(g);
  const long oc = g.out_c;
  const bool pointwise = is_pointwise(g);
  const long block = block_rows(g);
  const long chunks = (rows + block - 1) / block;
  const int parts = parts_for(rows * k * oc, grain_macs());
  std::vector<std::vector<float>> cols(parts);
  parallel_chunks(chunks, parts, [&](long chunk, int part) {
    const long p = chunk * block;
    const long m = std::min(block, rows - p);
    const float* a = x + p * k;
    if (!pointwise) {
      std::vector<float>& col = cols[part];
      col.resize(block * k);
      im2col(g, x, p, p + m, col.data());
      a = col.data();
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(m), int(oc), int(k), 1.0f, a,
                int(k), w, int(oc), 0.0f, y + p * oc, int(oc));
    apply_bias_activation(y + p * oc, m, oc, bias, bias_size, act, alpha);
  });
}

void conv2d_backprop_input(const ConvGeometry& g, const float* dy, const float* w, float* dx) {
  const long per_image = long(g.out_h) * g.out_w;
  const long k = patch_size(g);
  const long oc = g.out_c;
  const long img = long(g.in_h) * g.in_w * g.in_c;
  const bool pointwise = is_pointwise(g);
  const long block = block_rows(g);
  // Rows of one image scatter into overlapping pixels, so a chunk is whole images: as many as
  // fill a block, so that small images still make GEMMs of a useful size.
  const long images = std::max(1L, block / std::max(1L, per_image));
  const long chunks = (g.batch + images - 1) / images;
  const int parts = parts_for(long(g.batch) * per_image * k * oc, grain_macs());
  std::vector<std::vector<float>> cols(parts);
  parallel_chunks(chunks, parts, [&](long chunk, int part) {
    const long n0 = chunk * images;
    const long n1 = std::min<long>(g.batch, n0 + images);
    const long r0 = n0 * per_image;
    const long r1 = n1 * per_image;
    if (pointwise) {
      // dx = dy x w^T directly, no scatter needed.
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, int(r1 - r0), int(k), int(oc), 1.0f,
                  dy + r0 * oc, int(oc), w, int(oc), 0.0f, dx + n0 * img, int(k));
      return;
    }
    std::memset(dx + n0 * img, 0, sizeof(float) * (n1 - n0) * img);
    std::vector<float>& col = cols[part];
    col.resize(std::min(block, r1 - r0) * k);
    for (long p = r0; p < r1; p += block) {
      const long m = std::min(block, r1 - p);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, int(m), int(k), int(oc), 1.0f,
                  dy + p * oc, int(oc), w, int(oc), 0.0f, col.data(), int(k));
      col2im(g, col.data(), p, p + m, dx);
    }
  });
}

void conv2d_backprop_filter_bias(const ConvGeometry& g, const float* x, const float* dy,
                                 const float* y, float* dw, float* db) {
  if (conv2d_backprop_filter_bias_direct(g, x, dy, y, dw, db)) return;
  const long rows = long(g.batch) * g.out_h * g.out_w;
  const long k = patch_size(g);
  const long oc = g.out_c;
  const bool pointwise = is_pointwise(g);
  // Larger blocks than the forward pass's (each GEMM call also re-reads and re-writes the
  // filter-sized result), but with a relu's mask small enough that the masked block of dy
  // (m x oc) stays in cache between being written and read by the GEMM.
  const long block = std::min(block_rows(g, kFilterBlockBytes),
                              y == nullptr ? rows : std::max(32L, kBlockBytes / (4 * oc)));
  const int parts = parts_for(rows * k * oc, grain_macs());
  // Each thread sums its rows into its own dw and db (db in double, as the bias gradient's Sum
  // does); part 0's dw is the output itself.
  std::vector<float> partials(size_t(parts - 1) * k * oc);
  std::vector<double> bias_sums(db == nullptr ? 0 : size_t(parts) * oc, 0.0);
  parallel_run(parts, [&](int part) {
    long r0, r1;
    split_range(rows, parts, part, &r0, &r1);
    float* acc = part == 0 ? dw : partials.data() + (part - 1) * k * oc;
    double* sums = db == nullptr ? nullptr : bias_sums.data() + size_t(part) * oc;
    std::vector<float> col(pointwise ? 0 : std::min(block, r1 - r0) * k);
    std::vector<float> masked(y == nullptr ? 0 : std::min(block, r1 - r0) * oc);
    float beta = 0.0f;
    if (r0 == r1) std::memset(acc, 0, sizeof(float) * k * oc);
    for (long p = r0; p < r1; p += block) {
      const long m = std::min(block, r1 - p);
      const float* a = x + p * k;
      if (!pointwise) {
        im2col(g, x, p, p + m, col.data());
        a = col.data();
      }
      const float* d = dy + p * oc;
      if (y != nullptr) {
        // dz = dy * step(y): the relu's mask, one block at a time.
        const float* out = y + p * oc;
        for (long i = 0; i < m * oc; ++i) masked[i] = d[i] * step_of(out[i]);
        d = masked.data();
      }
      for (long r = 0; sums != nullptr && r < m; ++r) {
        const float* row = d + r * oc;
        for (long o = 0; o < oc; ++o) sums[o] += row[o];
      }
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, int(k), int(oc), int(m), 1.0f, a,
                  int(k), d, int(oc), beta, acc, int(oc));
      beta = 1.0f;
    }
  });
  const long size = k * oc;
  for (int part = 1; part < parts; ++part) {
    const float* src = partials.data() + (part - 1) * size;
    for (long i = 0; i < size; ++i) dw[i] += src[i];
  }
  for (long o = 0; db != nullptr && o < oc; ++o) {
    double s = 0.0;
    for (int part = 0; part < parts; ++part) s += bias_sums[size_t(part) * oc + o];
    db[o] = float(s);
  }
}

void conv2d_backprop_filter(const ConvGeometry& g, const float* x, const float* dy, float* dw) {
  conv2d_backprop_filter_bias(g, x, dy, nullptr, dw, nullptr);
}

}  // namespace cnnlab
