// Element-wise kernels. Memory-bound: threads split the flat range only for large tensors.
#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels.h"
#include "thread_pool.h"

namespace cnnlab {
namespace {

// Elements per chunk of the threaded loops: threads take chunks as they come free, so a
// worker that wakes late, or shares its core with another process, does not hold up the
// kernel; elements are independent, so the result does not depend on who did which chunk.
constexpr long kChunk = 1L << 15;

// Calls fn(i0, i1) over [0, n) in chunks, threaded when n is large enough.
template <typename Range>
void for_chunks(long n, Range fn) {
  const int parts = parts_for(n, grain_elements());
  if (parts <= 1) {
    fn(0L, n);
    return;
  }
  parallel_chunks((n + kChunk - 1) / kChunk, parts, [&](long chunk, int) {
    const long i0 = chunk * kChunk;
    fn(i0, std::min(n, i0 + kChunk));
  });
}

// The loops copy the functor and pointers into restrict-qualified locals: otherwise a store to
// out[i] might alias a captured float (an attribute like alpha), which blocks vectorisation.
template <typename F>
void unary_loop(const float* x, long n, float* y, F f) {
  for_chunks(n, [x, y, f](long i0, long i1) {
    const F fn = f;
    const float* __restrict in = x;
    float* __restrict out = y;
    for (long i = i0; i < i1; ++i) out[i] = fn(in[i]);
  });
}

// out[(o, m, i)] = f(big[(o, m, i)], small[m]); f receives the operands in op order.
template <typename F>
void binary_loop(const float* big, const float* small, long outer, long mid, long inner,
                 float* out, F f) {
  const long n = outer * mid * inner;
  for_chunks(n, [=](long i0, long i1) {
    const F fn = f;
    const float* __restrict big_in = big;
    const float* __restrict small_in = small;
    float* __restrict out_p = out;
    if (mid == 1) {
      const float s = small_in[0];
      for (long i = i0; i < i1; ++i) out_p[i] = fn(big_in[i], s);
    } else if (inner == 1) {
      // Whole runs of `mid` elements against the small operand, so the inner loop vectorises.
      long i = i0;
      while (i < i1) {
        const long m0 = i % mid;
        const long len = std::min(mid - m0, i1 - i);
        const float* __restrict b = big_in + i;
        const float* __restrict sm = small_in + m0;
        float* __restrict o = out_p + i;
        for (long j = 0; j < len; ++j) o[j] = fn(b[j], sm[j]);
        i += len;
      }
    } else {
      long i = i0;
      while (i < i1) {
        const float s = small_in[(i / inner) % mid];
        const long len = std::min(inner - i % inner, i1 - i);
        for (long j = i; j < i + len; ++j) out_p[j] = fn(big_in[j], s);
        i += len;
      }
    }
  });
}

template <typename F>
void binary_dispatch(const float* big, const float* small, bool small_first, long outer,
                     long mid, long inner, float* out, F f) {
  if (small_first) {
    binary_loop(big, small, outer, mid, inner, out, [f](float b, float s) { return f(s, b); });
  } else {
    binary_loop(big, small, outer, mid, inner, out, f);
  }
}

}  // namespace

void unary(UnaryOp op, const float* x, long n, double alpha, float* y) {
  switch (op) {
    case UnaryOp::kRelu:
      unary_loop(x, n, y, [](float v) { return (v > 0.0f || v != v) ? v : 0.0f; });
      break;
    case UnaryOp::kRelu6:
      unary_loop(x, n, y, [](float v) {
        return v > 0.0f ? (v > 6.0f ? 6.0f : v) : (v != v ? v : 0.0f);
      });
      break;
    case UnaryOp::kStep: {
      const float a = float(alpha);
      unary_loop(x, n, y, [a](float v) { return step_of(v, a); });
      break;
    }
    case UnaryOp::kSquare:
      unary_loop(x, n, y, [](float v) { return v * v; });
      break;
    case UnaryOp::kSqrt:
      unary_loop(x, n, y, [](float v) { return std::sqrt(v); });
      break;
    case UnaryOp::kLeakyRelu:
      unary_loop(x, n, y,
                 [alpha](float v) { return v < 0.0f ? float(alpha * double(v)) : v; });
      break;
    case UnaryOp::kFloor:
      // Dropout's mask is floor(uniform + keep): tfjs's cpu kernel does it element by element in
      // JavaScript, the largest single cost of the dense network's step.
      unary_loop(x, n, y, [](float v) { return std::floor(v); });
      break;
  }
}

void binary(BinaryOp op, const float* big, const float* small, bool small_first, long outer,
            long mid, long inner, float* out) {
  switch (op) {
    case BinaryOp::kAdd:
      binary_dispatch(big, small, small_first, outer, mid, inner, out,
                      [](float a, float b) { return a + b; });
      break;
    case BinaryOp::kSub:
      binary_dispatch(big, small, small_first, outer, mid, inner, out,
                      [](float a, float b) { return a - b; });
      break;
    case BinaryOp::kMul:
      binary_dispatch(big, small, small_first, outer, mid, inner, out,
                      [](float a, float b) { return a * b; });
      break;
    case BinaryOp::kDiv:
      binary_dispatch(big, small, small_first, outer, mid, inner, out,
                      [](float a, float b) { return a / b; });
      break;
  }
}

void reduce_sum(const float* x, long outer, long reduce, long inner, float* out) {
  if (inner == 1) {
    // Row sums: one independent output per row.
    const int parts = parts_for(outer * reduce, grain_elements());
    parallel_run(parts, [&](int part) {
      long o0, o1;
      split_range(outer, parts, part, &o0, &o1);
      for (long o = o0; o < o1; ++o) {
        const float* row = x + o * reduce;
        double s = 0.0;
        for (long r = 0; r < reduce; ++r) s += row[r];
        out[o] = float(s);
      }
    });
    return;
  }
  // Column sums: threads split the columns when there are enough of them, else (one block of
  // few columns, as a bias gradient is) the rows, each thread summing into its own accumulators.
  const long columns = outer * inner;
  const int parts = parts_for(columns * reduce, grain_elements());
  const bool by_columns = outer > 1 || inner >= 64L * parts;
  std::vector<double> acc(size_t(by_columns ? 0 : parts) * inner);
  parallel_run(parts, [&](int part) {
    if (by_columns) {
      long c0, c1;
      split_range(columns, parts, part, &c0, &c1);
      std::vector<double> sums;
      for (long c = c0; c < c1;) {
        const long o = c / inner;
        const long i0 = c % inner;
        const long i1 = std::min(inner, i0 + (c1 - c));
        sums.assign(i1 - i0, 0.0);
        const float* base = x + o * reduce * inner;
        for (long r = 0; r < reduce; ++r) {
          const float* row = base + r * inner;
          for (long i = i0; i < i1; ++i) sums[i - i0] += row[i];
        }
        for (long i = i0; i < i1; ++i) out[o * inner + i] = float(sums[i - i0]);
        c += i1 - i0;
      }
    } else {
      long r0, r1;
      split_range(reduce, parts, part, &r0, &r1);
      double* sums = acc.data() + size_t(part) * inner;
      for (long i = 0; i < inner; ++i) sums[i] = 0.0;
      for (long r = r0; r < r1; ++r) {
        const float* row = x + r * inner;
        for (long i = 0; i < inner; ++i) sums[i] += row[i];
      }
    }
  });
  if (!by_columns) {
    for (long i = 0; i < inner; ++i) {
      double s = 0.0;
      for (int p = 0; p < parts; ++p) s += acc[size_t(p) * inner + i];
      out[i] = float(s);
    }
  }
}

void softmax_rows(const float* x, long rows, long cols, float* y) {
  const int parts = parts_for(rows * cols * 8, grain_elements());
  parallel_run(parts, [&](int part) {
    long r0, r1;
    split_range(rows, parts, part, &r0, &r1);
    for (long r = r0; r < r1; ++r) {
      const float* in = x + r * cols;
      float* out = y + r * cols;
      // The maximum as tfjs's Max kernel finds it: a NaN anywhere makes it NaN.
      float m = in[0];
      for (long c = 1; c < cols; ++c) {
        if (in[c] > m || in[c] != in[c]) m = in[c];
      }
      double sum = 0.0;
      for (long c = 0; c < cols; ++c) {
        const float shifted = in[c] - m;
        out[c] = float(std::exp(double(shifted)));
        sum += out[c];
      }
      const float total = float(sum);
      for (long c = 0; c < cols; ++c) out[c] = out[c] / total;
    }
  });
}

void rmsprop_update(const RmspropParams& p, const float* var, const float* grad, const float* ms,
                    const float* mom, long n, float* var_out, float* ms_out, float* mom_out) {
  for_chunks(n, [=](long i0, long i1) {
    const RmspropParams q = p;
    const float* __restrict v = var;
    const float* __restrict g = grad;
    const float* __restrict s = ms;
    const float* __restrict m = mom;
    float* __restrict v_out = var_out;
    float* __restrict s_out = ms_out;
    float* __restrict m_out = mom_out;
    for (long i = i0; i < i1; ++i) {
      // Each product and sum rounded to float, in tfjs's order (no fused multiply-add).
      const float square = g[i] * g[i];
      const float mean_square = s[i] * q.decay + square * q.one_minus_decay;
      const float step = (g[i] * q.learning_rate) / std::sqrt(mean_square + q.epsilon);
      const float moment = m[i] * q.momentum + step;
      s_out[i] = mean_square;
      m_out[i] = moment;
      v_out[i] = v[i] - moment;
    }
  });
}

}  // namespace cnnlab
