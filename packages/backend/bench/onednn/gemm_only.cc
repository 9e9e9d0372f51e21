// Built with -Dcnnlab=cnnlab_gemm together with second copies of csrc/conv2d.cc and
// thread_pool.cc (see run.sh): their symbols then cannot clash with the main build's, and the
// stubs below make conv2d.cc's dispatch to the direct kernels always decline.
#include "gemm_only.h"

#include <cstring>

#include "kernels.h"
#include "thread_pool.h"

namespace cnnlab {

// "Not for this geometry": conv2d.cc falls through to im2col + sgemm.
bool conv2d_forward_direct(const ConvGeometry&, const float*, const float*, const float*, int,
                           Activation, double, float*) {
  return false;
}
bool conv2d_backprop_filter_bias_direct(const ConvGeometry&, const float*, const float*,
                                        const float*, float*, float*) {
  return false;
}

}  // namespace cnnlab

namespace gemm_only {
namespace {
cnnlab::ConvGeometry convert(const Geometry& g) {
  static_assert(sizeof(cnnlab::ConvGeometry) == sizeof(Geometry), "ConvGeometry changed");
  cnnlab::ConvGeometry out;
  std::memcpy(&out, &g, sizeof out);
  return out;
}
}  // namespace

int set_threads(int n) { return cnnlab::set_pool_threads(n); }
void forward_relu(const Geometry& g, const float* x, const float* w, const float* bias, float* y) {
  const cnnlab::ConvGeometry c = convert(g);
  cnnlab::conv2d_forward(c, x, w, bias, c.out_c, cnnlab::Activation::kRelu, 0.0, y);
}
void backprop_input(const Geometry& g, const float* dy, const float* w, float* dx) {
  cnnlab::conv2d_backprop_input(convert(g), dy, w, dx);
}
void backprop_filter_bias(const Geometry& g, const float* x, const float* dy, const float* y,
                          float* dw, float* db) {
  cnnlab::conv2d_backprop_filter_bias(convert(g), x, dy, y, dw, db);
}

}  // namespace gemm_only
