// Direct convolutions for layers whose patch is a handful of values (a first layer on grey or
// RGB pictures: 3x3x1 = 9, 3x3x3 = 27). As im2col + GEMM such a layer is a GEMM with K = 9:
// OpenBLAS packs and re-reads the output for every few multiply-adds, and the layer runs at a
// fraction of the memory bandwidth its large output needs. Here each output pixel's channels
// stay in registers across its taps (templated on the channel count, so the compiler unrolls
// and vectorises them), and the filter gradient keeps its K x C sums in L1 over blocks of pixels.
// Written with GCC's and clang's vector extension; elsewhere (MSVC) both functions decline and
// the layer takes the GEMM path.
#include <algorithm>
#include <cstring>
#include <type_traits>
#include <vector>

#include "kernels.h"
#include "thread_pool.h"

namespace cnnlab {

#if defined(__GNUC__)
namespace {

// Patches up to this many values go the direct way; larger ones make GEMMs worth their packing.
constexpr int kMaxPatch = 32;
// Output pixels a thread takes at a time (forward) and sums in float before adding its block
// into the double totals (filter gradient), so long sums keep their precision.
constexpr long kPixelsPerChunk = 512;

// One register of floats as one value, which the compiler keeps in a register: eight in an AVX
// register (the prebuilt x86-64-v3 build), four in an SSE or NEON one (a source build for the
// compiler's default CPU; wider vectors there would be split into scalar code).
#if defined(__AVX__)
typedef float Lanes __attribute__((vector_size(32)));
constexpr int kLanes = 8;
#else
typedef float Lanes __attribute__((vector_size(16)));
constexpr int kLanes = 4;
#endif
inline Lanes load(const float* p) {
  Lanes v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(float* p, Lanes v) { std::memcpy(p, &v, sizeof v); }

// Walks output pixels [p0, p1) in order, P at a time, calling fn(p, count, patches) with the
// patches of pixels p .. p + count - 1 (count <= P), patch j at patches + j * kMaxPatch in the
// filter's (ky, kx, c) order, zero where a tap falls outside the image (the padding); the
// patches past count are zero. P pixels at a time give the multiply-adds independent chains.
// Keeps the pixel's (n, oy, ox) by increments (three divisions a pixel would cost more than its
// taps), and reads a window inside the image through a table of tap offsets, branch-free:
// conv2d.cc's im2col, a copy call a filter row of in_c floats, made this kernel 40% slower.
template <int P, typename Fn>
void for_each_block(const ConvGeometry& g, const float* x, long p0, long p1, Fn fn) {
  const long c = g.in_c;
  const long img = long(g.in_h) * g.in_w * c;
  const int k = g.filter_h * g.filter_w * g.in_c;
  long offsets[kMaxPatch];
  for (int ky = 0, t = 0; ky < g.filter_h; ++ky) {
    for (int kx = 0; kx < g.filter_w; ++kx) {
      for (long i = 0; i < c; ++i, ++t) {
        offsets[t] = (long(ky) * g.dilation_h * g.in_w + long(kx) * g.dilation_w) * c + i;
      }
    }
  }
  const long span_h = long(g.filter_h - 1) * g.dilation_h;
  const long span_w = long(g.filter_w - 1) * g.dilation_w;
  long ox = p0 % g.out_w;
  long oy = (p0 / g.out_w) % g.out_h;
  long n = p0 / (long(g.out_w) * g.out_h);
  float patches[P * kMaxPatch] = {};
  long first = p0;
  for (long p = p0; p < p1; ++p) {
    float* patch = patches + (p - first) * kMaxPatch;
    const float* src = x + n * img;
    const long iy0 = oy * g.stride_h - g.pad_top;
    const long ix0 = ox * g.stride_w - g.pad_left;
    if (iy0 >= 0 && ix0 >= 0 && iy0 + span_h < g.in_h && ix0 + span_w < g.in_w) {
      const float* base = src + (iy0 * g.in_w + ix0) * c;
      for (int t = 0; t < k; ++t) patch[t] = base[offsets[t]];
    } else {
      for (int ky = 0, t = 0; ky < g.filter_h; ++ky) {
        const long iy = iy0 + long(ky) * g.dilation_h;
        for (int kx = 0; kx < g.filter_w; ++kx) {
          const long ix = ix0 + long(kx) * g.dilation_w;
          const bool inside = iy >= 0 && iy < g.in_h && ix >= 0 && ix < g.in_w;
          for (long i = 0; i < c; ++i, ++t) {
            patch[t] = inside ? src[(iy * g.in_w + ix) * c + i] : 0.0f;
          }
        }
      }
    }
    if (p - first == P - 1 || p == p1 - 1) {
      const int count = int(p - first + 1);
      for (int j = count; j < P; ++j) std::memset(patches + j * kMaxPatch, 0, sizeof(float) * k);
      fn(first, count, static_cast<const float*>(patches));
      first = p + 1;
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

// Pixels a block: enough independent sums (P x C / kLanes) to hide the adds' latency, few
// enough that they and a filter row fit in sixteen registers.
template <int C>
constexpr int block_pixels() {
  return C / kLanes >= 8 ? 1 : C / kLanes >= 4 ? 2 : 4;
}

template <int C>
void forward_rows(const ConvGeometry& g, const float* x, const float* w, const float* bias_row,
                  bool relu, long p0, long p1, float* y) {
  constexpr int V = C / kLanes;
  constexpr int P = block_pixels<C>();
  const int k = g.filter_h * g.filter_w * g.in_c;
  Lanes bias[V];
  for (int v = 0; v < V; ++v) bias[v] = load(bias_row + v * kLanes);
  for_each_block<P>(g, x, p0, p1, [&](long p, int count, const float* patches) {
    Lanes acc[P][V];
    for (int j = 0; j < P; ++j) {
      for (int v = 0; v < V; ++v) acc[j][v] = bias[v];
    }
    for (int t = 0; t < k; ++t) {
      Lanes wt[V];
      for (int v = 0; v < V; ++v) wt[v] = load(w + t * C + v * kLanes);
      for (int j = 0; j < P; ++j) {
        const float xv = patches[j * kMaxPatch + t];
        for (int v = 0; v < V; ++v) acc[j][v] += xv * wt[v];
      }
    }
    for (int j = 0; j < count; ++j) {
      float* out = y + (p + j) * C;
      for (int v = 0; v < V; ++v) {
        Lanes a = acc[j][v];
        // As Math.max(0, v): NaN stays NaN, -0 becomes +0.
        if (relu) a = ((a > 0.0f) | (a != a)) ? a : Lanes{};
        store(out + v * kLanes, a);
      }
    }
  });
}

template <int C>
void filter_rows(const ConvGeometry& g, const float* x, const float* dy, const float* y, long p0,
                 long p1, double* dw_sum, double* db_sum) {
  constexpr int V = C / kLanes;
  constexpr int P = 4;
  const int k = g.filter_h * g.filter_w * g.in_c;
  Lanes dw[kMaxPatch * V];
  Lanes db[V];
  const Lanes one = Lanes{} + 1.0f;
  for (long b0 = p0; b0 < p1; b0 += kPixelsPerChunk) {
    const long b1 = std::min(p1, b0 + kPixelsPerChunk);
    for (int i = 0; i < k * V; ++i) dw[i] = Lanes{};
    for (int v = 0; v < V; ++v) db[v] = Lanes{};
    for_each_block<P>(g, x, b0, b1, [&](long p, int count, const float* patches) {
      Lanes dz[P][V];
      for (int j = 0; j < P; ++j) {
        for (int v = 0; v < V; ++v) {
          if (j >= count) {
            dz[j][v] = Lanes{};
            continue;
          }
          const long at = (p + j) * C + v * kLanes;
          Lanes d = load(dy + at);
          if (y != nullptr) {
            // dz = dy * step(y), step as tfjs's: 1 above zero, NaN stays NaN, else 0.
            const Lanes out = load(y + at);
            const Lanes step = out > 0.0f ? one : Lanes{};
            d *= (out != out) ? out : step;
          }
          dz[j][v] = d;
          db[v] += d;
        }
      }
      for (int t = 0; t < k; ++t) {
        for (int v = 0; v < V; ++v) {
          Lanes sum = dw[t * V + v];
          for (int j = 0; j < P; ++j) sum += patches[j * kMaxPatch + t] * dz[j][v];
          dw[t * V + v] = sum;
        }
      }
    });
    for (int t = 0; t < k; ++t) {
      for (int v = 0; v < V; ++v) {
        for (int l = 0; l < kLanes; ++l) dw_sum[t * C + v * kLanes + l] += dw[t * V + v][l];
      }
    }
    for (int v = 0; v < V; ++v) {
      for (int l = 0; l < kLanes; ++l) db_sum[v * kLanes + l] += db[v][l];
    }
  }
}

bool applies(const ConvGeometry& g) {
  // At most eight registers of sums a pixel: more spill (64 channels in SSE's four-float
  // registers measured slower than the GEMM).
  return long(g.filter_h) * g.filter_w * g.in_c <= kMaxPatch &&
         (g.out_c == 8 || g.out_c == 16 || g.out_c == 32 || g.out_c == 64) &&
         g.out_c / kLanes <= 8;
}

template <typename Fn>
bool by_channels(int c, Fn fn) {
  switch (c) {
    case 8: fn(std::integral_constant<int, 8>()); return true;
    case 16: fn(std::integral_constant<int, 16>()); return true;
    case 32: fn(std::integral_constant<int, 32>()); return true;
    case 64: fn(std::integral_constant<int, 64>()); return true;
    default: return false;
  }
}

}  // namespace

bool conv2d_forward_direct(const ConvGeometry& g, const float* x, const float* w,
                           const float* bias, int bias_size, Activation act, double alpha,
                           float* y) {
  if (!applies(g)) return false;
  const long rows = long(g.batch) * g.out_h * g.out_w;
  const long oc = g.out_c;
  std::vector<float> bias_row(oc, 0.0f);
  for (long j = 0; bias != nullptr && j < oc; ++j) bias_row[j] = bias[bias_size == 1 ? 0 : j];
  const bool relu = act == Activation::kRelu;
  const long chunks = (rows + kPixelsPerChunk - 1) / kPixelsPerChunk;
  const long macs = rows * oc * g.filter_h * g.filter_w * g.in_c;
  const int parts = parts_for(macs, grain_macs());
  return by_channels(g.out_c, [&](auto channels) {
    constexpr int C = decltype(channels)::value;
    parallel_chunks(chunks, parts, [&](long chunk, int) {
      const long p0 = chunk * kPixelsPerChunk;
      const long p1 = std::min(rows, p0 + kPixelsPerChunk);
      forward_rows<C>(g, x, w, bias_row.data(), relu, p0, p1, y);
      if (act != Activation::kLinear && !relu) {
        apply_bias_activation(y + p0 * C, p1 - p0, C, nullptr, 0, act, alpha);
      }
    });
  });
}

bool conv2d_backprop_filter_bias_direct(const ConvGeometry& g, const float* x, const float* dy,
                                        const float* y, float* dw, float* db) {
  if (!applies(g)) return false;
  const long rows = long(g.batch) * g.out_h * g.out_w;
  const long oc = g.out_c;
  const long size = long(g.filter_h) * g.filter_w * g.in_c * oc;
  const int parts = parts_for(rows * oc * g.filter_h * g.filter_w * g.in_c, grain_macs());
  // Each thread's own sums, in double, added in part order: deterministic for a thread count.
  std::vector<double> dw_sums(size_t(parts) * size, 0.0);
  std::vector<double> db_sums(size_t(parts) * oc, 0.0);
  const bool done = by_channels(g.out_c, [&](auto channels) {
    constexpr int C = decltype(channels)::value;
    parallel_run(parts, [&](int part) {
      long p0, p1;
      split_range(rows, parts, part, &p0, &p1);
      filter_rows<C>(g, x, dy, y, p0, p1, dw_sums.data() + size_t(part) * size,
                     db_sums.data() + size_t(part) * oc);
    });
  });
  if (!done) return false;
  for (long i = 0; i < size; ++i) {
    double s = 0.0;
    for (int part = 0; part < parts; ++part) s += dw_sums[size_t(part) * size + i];
    dw[i] = float(s);
  }
  for (long o = 0; db != nullptr && o < oc; ++o) {
    double s = 0.0;
    for (int part = 0; part < parts; ++part) s += db_sums[size_t(part) * oc + o];
    db[o] = float(s);
  }
  return true;
}

#else

bool conv2d_forward_direct(const ConvGeometry&, const float*, const float*, const float*, int,
                           Activation, double, float*) {
  return false;
}
bool conv2d_backprop_filter_bias_direct(const ConvGeometry&, const float*, const float*,
                                        const float*, float*, float*) {
  return false;
}

#endif
}  // namespace cnnlab
