// The numeric kernels behind the addon. All tensors are float32, row-major, NHWC.
#pragma once

namespace cnnlab {

// Geometry of a 2-D convolution or pooling window, as tfjs's computeConv2DInfo /
// computePool2DInfo describe it (pads already resolved from 'same' / 'valid' / explicit).
struct ConvGeometry {
  int batch, in_h, in_w, in_c;
  int out_h, out_w, out_c;
  int filter_h, filter_w;
  int stride_h, stride_w;
  int dilation_h, dilation_w;
  int pad_top, pad_left;
};

enum class Activation { kLinear = 0, kRelu = 1, kRelu6 = 2, kLeakyRelu = 3 };

// Adds a per-column bias (bias_size == cols), a scalar bias (bias_size == 1) or none (null),
// then applies the activation, in place on a rows x cols matrix.
void apply_bias_activation(float* y, long rows, long cols, const float* bias, int bias_size,
                           Activation act, double alpha);

// y = act(conv(x, w) + bias); bias has out_c entries, one entry (broadcast), or is null.
void conv2d_forward(const ConvGeometry& g, const float* x, const float* w, const float* bias,
                    int bias_size, Activation act, double alpha, float* y);
// dx = gradient of conv(x, w) with respect to x, given dy.
void conv2d_backprop_input(const ConvGeometry& g, const float* dy, const float* w, float* dx);
// dw = gradient of conv(x, w) with respect to w, given dy.
void conv2d_backprop_filter(const ConvGeometry& g, const float* x, const float* dy, float* dw);
// The filter and bias gradients of y = relu(conv(x, w) + bias) (y null: no activation) in one
// pass over dy: dz = dy * step(y) block by block, dw from dz as above, db[o] = sum of dz[:, o]
// (db null: dw alone, which is conv2d_backprop_filter).
void conv2d_backprop_filter_bias(const ConvGeometry& g, const float* x, const float* dy,
                                 const float* y, float* dw, float* db);

// The same forward pass and filter-and-bias gradient, computed directly (no im2col, no GEMM)
// for patches of at most 32 values and 8, 16, 32 or 64 output channels (up to 32 in a build
// without AVX): a first layer on grey or RGB pictures. They return false, having done nothing,
// for any other geometry and where the compiler lacks the vector extension (MSVC).
bool conv2d_forward_direct(const ConvGeometry& g, const float* x, const float* w,
                           const float* bias, int bias_size, Activation act, double alpha,
                           float* y);
bool conv2d_backprop_filter_bias_direct(const ConvGeometry& g, const float* x, const float* dy,
                                        const float* y, float* dw, float* db);

// out[b] = act(op(a[b]) x op(b[b]) + bias) for b in [0, batch); a_stride / b_stride of 0
// broadcast one matrix over the batch.
void batch_matmul(int batch, int m, int n, int k, bool trans_a, bool trans_b, const float* a,
                  long a_stride, const float* b, long b_stride, const float* bias, int bias_size,
                  Activation act, double alpha, float* out);

// Max pooling over the window of g (out_c == in_c), and its gradient: the first maximum of
// each window (row-major scan, strict >) receives dy, as tfjs's cpu backend does.
void max_pool(const ConvGeometry& g, const float* x, float* y);
// y: max_pool's output for x, each window's maximum.
void max_pool_grad(const ConvGeometry& g, const float* x, const float* y, const float* dy,
                   float* dx);

// tfjs's Step: 1 above zero, NaN stays NaN, alpha elsewhere. At alpha 0 it is a relu's gradient
// mask, which the convolutions' fused gradients apply to dy.
inline float step_of(float v, float alpha = 0.0f) {
  return v != v ? v : (v > 0.0f ? 1.0f : alpha);
}

enum class UnaryOp {
  kRelu = 0,
  kRelu6 = 1,
  kStep = 2,
  kSquare = 3,
  kSqrt = 4,
  kLeakyRelu = 5,
  kFloor = 6
};
void unary(UnaryOp op, const float* x, long n, double alpha, float* y);

enum class BinaryOp { kAdd = 0, kSub = 1, kMul = 2, kDiv = 3 };
// out = op(big, small) (or op(small, big) when small_first), where big has outer*mid*inner
// entries and small has mid entries, broadcast along the outer and inner dimensions.
void binary(BinaryOp op, const float* big, const float* small, bool small_first, long outer,
            long mid, long inner, float* out);

// out[o, i] = sum over r of x[o, r, i], accumulated in double.
void reduce_sum(const float* x, long outer, long reduce, long inner, float* out);

// Softmax over each row of `cols` values, rounding as tfjs's cpu kernel does op by op: the row's
// maximum, x - max and exp in float, the row's sum in double, then exp / float(sum).
void softmax_rows(const float* x, long rows, long cols, float* y);

// One RMSprop step on n weights in one pass, rounding as tfjs's RMSPropOptimizer does op by op:
// ms' = ms * decay + g^2 * (1 - decay); mom' = mom * momentum + g * lr / sqrt(ms' + eps);
// var' = var - mom'. The outputs may not alias the inputs.
struct RmspropParams {
  float learning_rate, decay, one_minus_decay, momentum, epsilon;
};
void rmsprop_update(const RmspropParams& p, const float* var, const float* grad, const float* ms,
                    const float* mom, long n, float* var_out, float* ms_out, float* mom_out);

}  // namespace cnnlab
