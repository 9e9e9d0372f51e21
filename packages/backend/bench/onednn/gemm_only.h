// Our im2col + sgemm convolutions with the direct kernels (csrc/conv2d_direct.cc) switched off,
// so the benchmark can time the GEMM path next to whatever the tree dispatches to. Implemented
// in gemm_only.cc, built under another namespace name; this header names no cnnlab type, so
// both builds see the same declarations.
#pragma once

namespace gemm_only {

// cnnlab::ConvGeometry's 15 ints, in its field order.
struct Geometry {
  int fields[15];
};

int set_threads(int n);
void forward_relu(const Geometry& g, const float* x, const float* w, const float* bias, float* y);
void backprop_input(const Geometry& g, const float* dy, const float* w, float* dx);
void backprop_filter_bias(const Geometry& g, const float* x, const float* dy, const float* y,
                          float* dw, float* db);

}  // namespace gemm_only
