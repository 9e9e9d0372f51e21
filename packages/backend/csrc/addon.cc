// Node-API entry points. Each function takes the Float32Arrays the tfjs cpu backend holds
// (read in place) and a JS-allocated output array it fills, after checking every size so a
// wrong call throws instead of touching memory it does not own.
#include <node_api.h>

#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <limits>
#include <string>

#include "kernels.h"
#include "thread_pool.h"

#include "blas.h"

namespace cnnlab {
namespace {

constexpr size_t kMaxArgs = 16;
// floats(): any length; a size whose product overflowed (never a real length).
constexpr long kAnyLength = -1;
constexpr long kOverflow = -2;

// The product of sizes, or kOverflow when a factor is negative or the product does not fit in a
// long: a wrapped product could match an empty buffer and send a kernel past its end.
long product(std::initializer_list<long> dims) {
  long p = 1;
  for (long d : dims) {
    if (d < 0) return kOverflow;
    if (d != 0 && p > std::numeric_limits<long>::max() / d) return kOverflow;
    p *= d;
  }
  return p;
}

struct Call {
  napi_env env;
  napi_value argv[kMaxArgs];
  size_t argc = kMaxArgs;
  bool failed = false;

  Call(napi_env e, napi_callback_info info) : env(e) {
    if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) fail("bad call");
  }

  void fail(const std::string& message) {
    if (!failed) napi_throw_type_error(env, "ERR_CNNLAB_NATIVE", message.c_str());
    failed = true;
  }

  napi_value arg(size_t i) {
    if (i >= argc) {
      fail("missing argument " + std::to_string(i));
      return nullptr;
    }
    return argv[i];
  }

  bool is_null(size_t i) {
    if (i >= argc) return true;
    napi_valuetype t;
    if (napi_typeof(env, argv[i], &t) != napi_ok) return true;
    return t == napi_null || t == napi_undefined;
  }

  // A Float32Array of exactly `expected` elements (any length for kAnyLength).
  float* floats(size_t i, long expected, const char* name, long* length = nullptr) {
    if (expected == kOverflow) fail(std::string(name) + ": the sizes given overflow");
    napi_value v = arg(i);
    if (failed) return nullptr;
    bool is_typed = false;
    napi_is_typedarray(env, v, &is_typed);
    if (!is_typed) {
      fail(std::string(name) + " must be a Float32Array");
      return nullptr;
    }
    napi_typedarray_type type;
    size_t len = 0;
    void* data = nullptr;
    napi_get_typedarray_info(env, v, &type, &len, &data, nullptr, nullptr);
    if (type != napi_float32_array) {
      fail(std::string(name) + " must be a Float32Array");
      return nullptr;
    }
    if (expected >= 0 && long(len) != expected) {
      fail(std::string(name) + " has " + std::to_string(len) + " elements, expected " +
           std::to_string(expected));
      return nullptr;
    }
    if (length != nullptr) *length = long(len);
    // A zero-length view may have no backing store; kernels never read it then.
    static float empty = 0.0f;
    return data != nullptr ? static_cast<float*>(data) : &empty;
  }

  long integer(size_t i, const char* name, long min = 0) {
    napi_value v = arg(i);
    if (failed) return 0;
    int64_t out = 0;
    if (napi_get_value_int64(env, v, &out) != napi_ok || out < min ||
        out > std::numeric_limits<long>::max()) {
      fail(std::string(name) + " must be an integer >= " + std::to_string(min));
      return 0;
    }
    return long(out);
  }

  double number(size_t i, const char* name) {
    napi_value v = arg(i);
    if (failed) return 0;
    double out = 0;
    if (napi_get_value_double(env, v, &out) != napi_ok) fail(std::string(name) + " must be a number");
    return out;
  }

  bool boolean(size_t i, const char* name) {
    napi_value v = arg(i);
    if (failed) return false;
    bool out = false;
    if (napi_get_value_bool(env, v, &out) != napi_ok) fail(std::string(name) + " must be a boolean");
    return out;
  }

  // Geometry from an Int32Array of 15 entries in ConvGeometry's field order.
  ConvGeometry geometry(size_t i) {
    ConvGeometry g{};
    napi_value v = arg(i);
    if (failed) return g;
    bool is_typed = false;
    napi_is_typedarray(env, v, &is_typed);
    napi_typedarray_type type = napi_float32_array;
    size_t len = 0;
    void* data = nullptr;
    if (is_typed) napi_get_typedarray_info(env, v, &type, &len, &data, nullptr, nullptr);
    if (!is_typed || type != napi_int32_array || len != 15) {
      fail("geometry must be an Int32Array of 15 entries");
      return g;
    }
    const int32_t* p = static_cast<const int32_t*>(data);
    g = ConvGeometry{p[0], p[1], p[2],  p[3],  p[4],  p[5],  p[6], p[7],
                     p[8], p[9], p[10], p[11], p[12], p[13], p[14]};
    const bool ok = g.batch >= 0 && g.in_h > 0 && g.in_w > 0 && g.in_c > 0 && g.out_h >= 0 &&
                    g.out_w >= 0 && g.out_c > 0 && g.filter_h > 0 && g.filter_w > 0 &&
                    g.stride_h > 0 && g.stride_w > 0 && g.dilation_h > 0 && g.dilation_w > 0 &&
                    g.pad_top >= 0 && g.pad_left >= 0;
    if (!ok) fail("invalid convolution geometry");
    // The kernels index windows in int: the last tap of the last window must fit in one.
    const auto reach = [](int64_t out, int64_t stride, int64_t filter, int64_t dilation) {
      return (out > 0 ? out - 1 : 0) * stride + (filter - 1) * dilation;
    };
    const int64_t limit = std::numeric_limits<int32_t>::max();
    if (!failed && (reach(g.out_h, g.stride_h, g.filter_h, g.dilation_h) >= limit ||
                    reach(g.out_w, g.stride_w, g.filter_w, g.dilation_w) >= limit)) {
      fail("convolution geometry too large");
    }
    return g;
  }

  Activation activation(size_t i) {
    long a = integer(i, "activation");
    if (a > 3) fail("unknown activation");
    return static_cast<Activation>(a);
  }
};

long in_size(const ConvGeometry& g) { return product({g.batch, g.in_h, g.in_w, g.in_c}); }
long out_size(const ConvGeometry& g) { return product({g.batch, g.out_h, g.out_w, g.out_c}); }
long filter_size(const ConvGeometry& g) {
  return product({g.filter_h, g.filter_w, g.in_c, g.out_c});
}

napi_value undefined(napi_env env) {
  napi_value v;
  napi_get_undefined(env, &v);
  return v;
}

napi_value make_number(napi_env env, double d) {
  napi_value v;
  napi_create_double(env, d, &v);
  return v;
}

napi_value Threads(napi_env env, napi_callback_info info) {
  return make_number(env, pool_threads());
}

napi_value SetThreads(napi_env env, napi_callback_info info) {
  Call c(env, info);
  long n = c.integer(0, "threads", 1);
  if (c.failed) return nullptr;
  return make_number(env, set_pool_threads(int(n)));
}

napi_value BlasConfig(napi_env env, napi_callback_info info) {
  napi_value v;
  const char* config = blas_config();
  napi_create_string_utf8(env, config != nullptr ? config : "", NAPI_AUTO_LENGTH, &v);
  return v;
}

// conv2d(x, w, bias | null, y, geometry, activation, alpha)
napi_value Conv2d(napi_env env, napi_callback_info info) {
  Call c(env, info);
  ConvGeometry g = c.geometry(4);
  if (c.failed) return nullptr;
  float* x = c.floats(0, in_size(g), "x");
  float* w = c.floats(1, filter_size(g), "filter");
  long bias_size = 0;
  float* bias = c.is_null(2) ? nullptr : c.floats(2, kAnyLength, "bias", &bias_size);
  float* y = c.floats(3, out_size(g), "y");
  Activation act = c.activation(5);
  double alpha = c.number(6, "alpha");
  if (bias != nullptr && bias_size != 1 && bias_size != g.out_c) c.fail("bias size mismatch");
  if (c.failed) return nullptr;
  conv2d_forward(g, x, w, bias, int(bias_size), act, alpha, y);
  return undefined(env);
}

// conv2dBackpropInput(dy, w, dx, geometry)
napi_value Conv2dBackpropInput(napi_env env, napi_callback_info info) {
  Call c(env, info);
  ConvGeometry g = c.geometry(3);
  if (c.failed) return nullptr;
  float* dy = c.floats(0, out_size(g), "dy");
  float* w = c.floats(1, filter_size(g), "filter");
  float* dx = c.floats(2, in_size(g), "dx");
  if (c.failed) return nullptr;
  conv2d_backprop_input(g, dy, w, dx);
  return undefined(env);
}

// conv2dBackpropFilter(x, dy, dw, geometry)
napi_value Conv2dBackpropFilter(napi_env env, napi_callback_info info) {
  Call c(env, info);
  ConvGeometry g = c.geometry(3);
  if (c.failed) return nullptr;
  float* x = c.floats(0, in_size(g), "x");
  float* dy = c.floats(1, out_size(g), "dy");
  float* dw = c.floats(2, filter_size(g), "dw");
  if (c.failed) return nullptr;
  conv2d_backprop_filter(g, x, dy, dw);
  return undefined(env);
}

// conv2dBackpropFilterBias(x, dy, y | null, dw, db, geometry): y is the relu's output
napi_value Conv2dBackpropFilterBias(napi_env env, napi_callback_info info) {
  Call c(env, info);
  ConvGeometry g = c.geometry(5);
  if (c.failed) return nullptr;
  float* x = c.floats(0, in_size(g), "x");
  float* dy = c.floats(1, out_size(g), "dy");
  float* y = c.is_null(2) ? nullptr : c.floats(2, out_size(g), "y");
  float* dw = c.floats(3, filter_size(g), "dw");
  float* db = c.floats(4, g.out_c, "db");
  if (c.failed) return nullptr;
  conv2d_backprop_filter_bias(g, x, dy, y, dw, db);
  return undefined(env);
}

// batchMatMul(a, b, out, batch, m, n, k, transA, transB, aStride, bStride, bias | null,
//             activation, alpha)
napi_value BatchMatMul(napi_env env, napi_callback_info info) {
  Call c(env, info);
  long batch = c.integer(3, "batch");
  long m = c.integer(4, "m");
  long n = c.integer(5, "n");
  long k = c.integer(6, "k");
  bool ta = c.boolean(7, "transposeA");
  bool tb = c.boolean(8, "transposeB");
  long a_stride = c.integer(9, "aStride");
  long b_stride = c.integer(10, "bStride");
  Activation act = c.activation(12);
  double alpha = c.number(13, "alpha");
  if (c.failed) return nullptr;
  if (m > INT32_MAX || n > INT32_MAX || k > INT32_MAX || batch > INT32_MAX) {
    c.fail("matrix too large");
    return nullptr;
  }
  if ((a_stride != 0 && a_stride != product({m, k})) ||
      (b_stride != 0 && b_stride != product({k, n}))) {
    c.fail("batch strides must be 0 or one matrix");
    return nullptr;
  }
  const long a_batches = a_stride == 0 ? 1 : batch;
  const long b_batches = b_stride == 0 ? 1 : batch;
  float* a = c.floats(0, product({a_batches, m, k}), "a");
  float* b = c.floats(1, product({b_batches, k, n}), "b");
  float* out = c.floats(2, product({batch, m, n}), "out");
  long bias_size = 0;
  float* bias = c.is_null(11) ? nullptr : c.floats(11, kAnyLength, "bias", &bias_size);
  if (bias != nullptr && bias_size != 1 && bias_size != n) c.fail("bias size mismatch");
  if (c.failed) return nullptr;
  batch_matmul(int(batch), int(m), int(n), int(k), ta, tb, a, a_stride, b, b_stride, bias,
               int(bias_size), act, alpha, out);
  return undefined(env);
}

// maxPool(x, y, geometry)
napi_value MaxPool(napi_env env, napi_callback_info info) {
  Call c(env, info);
  ConvGeometry g = c.geometry(2);
  if (c.failed) return nullptr;
  if (g.out_c != g.in_c) c.fail("pooling keeps the channel count");
  float* x = c.floats(0, in_size(g), "x");
  float* y = c.floats(1, out_size(g), "y");
  if (c.failed) return nullptr;
  max_pool(g, x, y);
  return undefined(env);
}

// maxPoolGradWithOutput(x, y, dy, dx, geometry): y is maxPool's output for x
napi_value MaxPoolGradWithOutput(napi_env env, napi_callback_info info) {
  Call c(env, info);
  ConvGeometry g = c.geometry(4);
  if (c.failed) return nullptr;
  if (g.out_c != g.in_c) c.fail("pooling keeps the channel count");
  float* x = c.floats(0, in_size(g), "x");
  float* y = c.floats(1, out_size(g), "y");
  float* dy = c.floats(2, out_size(g), "dy");
  float* dx = c.floats(3, in_size(g), "dx");
  if (c.failed) return nullptr;
  max_pool_grad(g, x, y, dy, dx);
  return undefined(env);
}

// unary(op, x, y, alpha)
napi_value Unary(napi_env env, napi_callback_info info) {
  Call c(env, info);
  long op = c.integer(0, "op");
  long n = 0;
  float* x = c.floats(1, kAnyLength, "x", &n);
  float* y = c.floats(2, n, "y");
  double alpha = c.number(3, "alpha");
  if (op > 6) c.fail("unknown unary op");
  if (c.failed) return nullptr;
  unary(static_cast<UnaryOp>(op), x, n, alpha, y);
  return undefined(env);
}

// binary(op, big, small, smallFirst, outer, mid, inner, out)
napi_value Binary(napi_env env, napi_callback_info info) {
  Call c(env, info);
  long op = c.integer(0, "op");
  bool small_first = c.boolean(3, "smallFirst");
  long outer = c.integer(4, "outer");
  long mid = c.integer(5, "mid", 1);
  long inner = c.integer(6, "inner");
  if (op > 3) c.fail("unknown binary op");
  if (c.failed) return nullptr;
  const long n = product({outer, mid, inner});
  float* big = c.floats(1, n, "big");
  float* small = c.floats(2, mid, "small");
  float* out = c.floats(7, n, "out");
  if (c.failed) return nullptr;
  binary(static_cast<BinaryOp>(op), big, small, small_first, outer, mid, inner, out);
  return undefined(env);
}

// sum(x, outer, reduce, inner, out)
napi_value Sum(napi_env env, napi_callback_info info) {
  Call c(env, info);
  long outer = c.integer(1, "outer");
  long reduce = c.integer(2, "reduce");
  long inner = c.integer(3, "inner");
  if (c.failed) return nullptr;
  float* x = c.floats(0, product({outer, reduce, inner}), "x");
  float* out = c.floats(4, product({outer, inner}), "out");
  if (c.failed) return nullptr;
  reduce_sum(x, outer, reduce, inner, out);
  return undefined(env);
}

// softmax(x, rows, cols, y)
napi_value Softmax(napi_env env, napi_callback_info info) {
  Call c(env, info);
  long rows = c.integer(1, "rows");
  long cols = c.integer(2, "cols");
  if (c.failed) return nullptr;
  if (rows < 1 || cols < 1) c.fail("softmax needs at least one row and one column");
  if (c.failed) return nullptr;
  float* x = c.floats(0, product({rows, cols}), "x");
  float* y = c.floats(3, product({rows, cols}), "y");
  if (c.failed) return nullptr;
  softmax_rows(x, rows, cols, y);
  return undefined(env);
}

// rmspropUpdate(var, grad, ms, mom, varOut, msOut, momOut, lr, decay, oneMinusDecay, momentum,
//               epsilon)
napi_value RmspropUpdate(napi_env env, napi_callback_info info) {
  Call c(env, info);
  long n = 0;
  float* var = c.floats(0, kAnyLength, "variable", &n);
  float* grad = c.floats(1, n, "gradient");
  float* ms = c.floats(2, n, "meanSquare");
  float* mom = c.floats(3, n, "moment");
  float* var_out = c.floats(4, n, "variableOut");
  float* ms_out = c.floats(5, n, "meanSquareOut");
  float* mom_out = c.floats(6, n, "momentOut");
  RmspropParams p;
  p.learning_rate = static_cast<float>(c.number(7, "learningRate"));
  p.decay = static_cast<float>(c.number(8, "decay"));
  p.one_minus_decay = static_cast<float>(c.number(9, "oneMinusDecay"));
  p.momentum = static_cast<float>(c.number(10, "momentum"));
  p.epsilon = static_cast<float>(c.number(11, "epsilon"));
  if (c.failed) return nullptr;
  rmsprop_update(p, var, grad, ms, mom, n, var_out, ms_out, mom_out);
  return undefined(env);
}

// Enumerable and writable, so callers can list the functions and tests can spy on them.
constexpr napi_property_attributes kProp =
    static_cast<napi_property_attributes>(napi_writable | napi_enumerable | napi_configurable);

napi_value Init(napi_env env, napi_value exports) {
  blas_single_threaded();
  const napi_property_descriptor props[] = {
      {"threads", nullptr, Threads, nullptr, nullptr, nullptr, kProp, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, kProp, nullptr},
      {"blasConfig", nullptr, BlasConfig, nullptr, nullptr, nullptr, kProp, nullptr},
      {"conv2d", nullptr, Conv2d, nullptr, nullptr, nullptr, kProp, nullptr},
      {"conv2dBackpropInput", nullptr, Conv2dBackpropInput, nullptr, nullptr, nullptr,
       kProp, nullptr},
      {"conv2dBackpropFilter", nullptr, Conv2dBackpropFilter, nullptr, nullptr, nullptr,
       kProp, nullptr},
      {"batchMatMul", nullptr, BatchMatMul, nullptr, nullptr, nullptr, kProp, nullptr},
      {"maxPool", nullptr, MaxPool, nullptr, nullptr, nullptr, kProp, nullptr},
      {"maxPoolGradWithOutput", nullptr, MaxPoolGradWithOutput, nullptr, nullptr, nullptr, kProp, nullptr},
      {"conv2dBackpropFilterBias", nullptr, Conv2dBackpropFilterBias, nullptr, nullptr, nullptr, kProp,
       nullptr},
      {"unary", nullptr, Unary, nullptr, nullptr, nullptr, kProp, nullptr},
      {"binary", nullptr, Binary, nullptr, nullptr, nullptr, kProp, nullptr},
      {"sum", nullptr, Sum, nullptr, nullptr, nullptr, kProp, nullptr},
      {"softmax", nullptr, Softmax, nullptr, nullptr, nullptr, kProp, nullptr},
      {"rmspropUpdate", nullptr, RmspropUpdate, nullptr, nullptr, nullptr, kProp, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace
}  // namespace cnnlab

NAPI_MODULE(NODE_GYP_MODULE_NAME, cnnlab::Init)
