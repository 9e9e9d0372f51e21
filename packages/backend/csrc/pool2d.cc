// Max pooling in NHWC: the channel dimension is innermost, so every window tap is a
// contiguous, vectorisable run of channels. An image is a unit of work for the threads.
#include <cstring>
#include <limits>
#include <vector>

#include "kernels.h"
#include "thread_pool.h"

namespace cnnlab {
namespace {

constexpr float kNone = -std::numeric_limits<float>::infinity();

// Calls tap(offset) for the in-image taps of the window of output pixel (oy, ox), in tfjs's
// scan order (rows, then columns); offset is the tap's pixel offset within the image.
template <typename Tap>
void for_each_tap(const ConvGeometry& g, int oy, int ox, Tap tap) {
  const int iy0 = oy * g.stride_h - g.pad_top;
  const int ix0 = ox * g.stride_w - g.pad_left;
  for (int ky = 0; ky < g.filter_h; ++ky) {
    const int iy = iy0 + ky * g.dilation_h;
    if (iy < 0 || iy >= g.in_h) continue;
    for (int kx = 0; kx < g.filter_w; ++kx) {
      const int ix = ix0 + kx * g.dilation_w;
      if (ix < 0 || ix >= g.in_w) continue;
      tap((long(iy) * g.in_w + ix) * g.in_c);
    }
  }
}

}  // namespace

void max_pool(const ConvGeometry& g, const float* x, float* y) {
  const long c = g.in_c;
  const long in_img = long(g.in_h) * g.in_w * c;
  const long out_img = long(g.out_h) * g.out_w * c;
  const int parts = parts_for(long(g.batch) * out_img * g.filter_h * g.filter_w, grain_elements());
  parallel_chunks(g.batch, parts, [&](long n, int) {
    const float* src = x + n * in_img;
    for (int oy = 0; oy < g.out_h; ++oy) {
      for (int ox = 0; ox < g.out_w; ++ox) {
        float* __restrict o = y + n * out_img + (long(oy) * g.out_w + ox) * c;
        for (long i = 0; i < c; ++i) o[i] = kNone;
        for_each_tap(g, oy, ox, [&](long offset) {
          const float* __restrict v = src + offset;
          // Strict > skips NaN inputs, as tfjs's cpu pool does.
          for (long i = 0; i < c; ++i) o[i] = v[i] > o[i] ? v[i] : o[i];
        });
      }
    }
  });
}

void max_pool_grad(const ConvGeometry& g, const float* x, const float* y, const float* dy,
                   float* dx) {
  const long c = g.in_c;
  const long in_img = long(g.in_h) * g.in_w * c;
  const long out_img = long(g.out_h) * g.out_w * c;
  const int parts = parts_for(long(g.batch) * out_img * g.filter_h * g.filter_w, grain_elements());
  std::vector<std::vector<float>> scratch(parts, std::vector<float>(c));
  parallel_chunks(g.batch, parts, [&](long n, int part) {
    const float* src = x + n * in_img;
    float* dst = dx + n * in_img;
    std::memset(dst, 0, sizeof(float) * in_img);
    float* __restrict taken = scratch[part].data();
    for (int oy = 0; oy < g.out_h; ++oy) {
      for (int ox = 0; ox < g.out_w; ++ox) {
        const long at = n * out_img + (long(oy) * g.out_w + ox) * c;
        const float* __restrict d = dy + at;
        // The forward pass's output is each window's maximum (max_pool above, same scan and
        // the same strict >), so one branch-free pass routes the gradient to the first tap equal
        // to it, the first strict maximum tfjs's cpu backend picks, without recomputing it. A
        // window whose maximum is -Infinity (or that holds only NaN) passes nothing.
        const float* __restrict best = y + at;
        for (long i = 0; i < c; ++i) taken[i] = best[i] == kNone ? 1.0f : 0.0f;
        for_each_tap(g, oy, ox, [&](long offset) {
          const float* __restrict v = src + offset;
          float* __restrict o = dst + offset;
          for (long i = 0; i < c; ++i) {
            // Every operand loaded unconditionally, so the selects become blends.
            const float vi = v[i], bi = best[i], ti = taken[i], di = d[i], oi = o[i];
            const bool hit = (vi == bi) & (ti == 0.0f);
            o[i] = hit ? oi + di : oi;
            taken[i] = hit ? 1.0f : ti;
          }
        });
      }
    }
  });
}

}  // namespace cnnlab
