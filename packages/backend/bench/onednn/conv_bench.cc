// Times oneDNN's convolution primitives against our im2col + sgemm kernels (csrc/conv2d.cc) on
// the workshop CNN's three conv layers, forward and both gradients, in one process on 2 threads.
// oneDNN runs in two ways: (a) on the NHWC / HWIO buffers tfjs hands us, and (b) in the layouts
// it prefers (format_tag::any), timed once with the reorders from and back to NHWC (what the
// addon would pay per call) and once as the primitives alone.
//
// "Ours" is timed twice: as the tree dispatches (csrc/conv2d.cc, which may hand small-patch layers
// to csrc/conv2d_direct.cc) and as the plain im2col + sgemm path (gemm_only.h). Every result is
// compared with the GEMM path's and with one computed in double.
//
// Usage: conv_bench [--once] [--rounds N]   (--once: one pass, no timing, for DNNL_VERBOSE runs)
// Build and run with run.sh next to this file.
#include <dnnl.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include "blas.h"
#include "gemm_only.h"
#include "kernels.h"
#include "thread_pool.h"

namespace {

using dnnl::algorithm;
using dnnl::memory;
using dnnl::prop_kind;
using tag = memory::format_tag;

int g_warmup = 10, g_iters = 50, g_rounds = 3;

// Wall time of g_iters runs after g_warmup untimed ones, in ms: the median (the figure we
// report) and the fastest run (what the code does when the shared VM's other load leaves it be).
struct Time {
  double median = 0, best = 0;
};
template <class F>
Time time_ms(F&& run) {
  for (int i = 0; i < g_warmup; ++i) run();
  std::vector<double> t(g_iters);
  for (double& v : t) {
    auto start = std::chrono::steady_clock::now();
    run();
    v = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  }
  std::sort(t.begin(), t.end());
  const size_t n = t.size();
  return {n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]), t[0]};
}

// Deterministic uniform fill in [lo, hi).
void fill(std::vector<float>& v, float lo, float hi, unsigned seed) {
  unsigned s = seed * 2654435761u + 1;
  for (float& x : v) {
    s = s * 1664525u + 1013904223u;
    x = lo + (hi - lo) * float(s >> 8) / float(1u << 24);
  }
}

// Two views of the difference from a reference r: relative to the tensor's largest magnitude, and
// the worst element-wise relative error among elements not tiny next to that magnitude (sums
// that cancel to ~0 have no meaningful relative error).
struct Diff {
  double scaled = 0, elementwise = 0;
  void add(const std::vector<float>& a, const std::vector<float>& r) {
    double peak = 0, worst = 0, worst_el = 0;
    for (float v : r) peak = std::max(peak, double(std::fabs(v)));
    for (size_t i = 0; i < r.size(); ++i) {
      const double d = std::fabs(double(a[i]) - double(r[i]));
      worst = std::max(worst, d);
      if (std::fabs(r[i]) > 1e-3 * peak) worst_el = std::max(worst_el, d / std::fabs(r[i]));
    }
    scaled = std::max(scaled, peak > 0 ? worst / peak : worst);
    elementwise = std::max(elementwise, worst_el);
  }
};

// The three results in double, straight from the definitions (valid padding, stride 1): the
// exact answer every float result is measured against, to tell rounding from a wrong layout.
struct Exact {
  std::vector<float> y, dx, dw, db;
};
Exact exact_conv(const cnnlab::ConvGeometry& g, const std::vector<float>& x, const std::vector<float>& w,
                 const std::vector<float>& b, const std::vector<float>& dy, const std::vector<float>& y) {
  const int C = g.in_c, O = g.out_c;
  std::vector<double> z(O), dx(x.size()), dw(w.size()), db(O), dz(O);
  Exact e{std::vector<float>(dy.size()), {}, {}, {}};
  for (int n = 0; n < g.batch; ++n)
    for (int oy = 0; oy < g.out_h; ++oy)
      for (int ox = 0; ox < g.out_w; ++ox) {
        const long at = ((long(n) * g.out_h + oy) * g.out_w + ox) * O;
        for (int o = 0; o < O; ++o) z[o] = b[o], dz[o] = y[at + o] > 0 ? dy[at + o] : 0.0, db[o] += dz[o];
        for (int ky = 0; ky < 3; ++ky)
          for (int kx = 0; kx < 3; ++kx)
            for (int c = 0; c < C; ++c) {
              const long xi = ((long(n) * g.in_h + oy + ky) * g.in_w + ox + kx) * C + c;
              const float* wrow = &w[((long(ky) * 3 + kx) * C + c) * O];
              double* dwrow = &dw[((long(ky) * 3 + kx) * C + c) * O];
              double acc = 0;
              for (int o = 0; o < O; ++o) {
                z[o] += double(x[xi]) * wrow[o];
                dwrow[o] += double(x[xi]) * dz[o];
                acc += double(dy[at + o]) * wrow[o];
              }
              dx[xi] += acc;
            }
        for (int o = 0; o < O; ++o) e.y[at + o] = float(std::max(0.0, z[o]));
      }
  e.dx.assign(dx.begin(), dx.end());
  e.dw.assign(dw.begin(), dw.end());
  e.db.assign(db.begin(), db.end());
  return e;
}

// A sequence of oneDNN primitives with their arguments, run on one stream.
struct Step {
  dnnl::primitive prim;
  std::unordered_map<int, memory> args;
};
using Plan = std::vector<Step>;

void execute(dnnl::stream& s, const Plan& plan) {
  for (const Step& st : plan) st.prim.execute(s, st.args);
  s.wait();
}

// Returns `user` if it already has the layout the primitive wants; otherwise a new buffer in
// that layout, with the reorder that fills it appended to `pre`.
memory input_as(const memory& user, const memory::desc& want, const dnnl::engine& eng, Plan& pre) {
  if (user.get_desc() == want) return user;
  memory m(want, eng);
  pre.push_back({dnnl::reorder(user, m), {{DNNL_ARG_FROM, user}, {DNNL_ARG_TO, m}}});
  return m;
}
// The same for an output: the primitive writes `have`'s layout, a reorder in `post` copies it back.
memory output_as(const memory& user, const memory::desc& have, const dnnl::engine& eng, Plan& post) {
  if (user.get_desc() == have) return user;
  memory m(have, eng);
  post.push_back({dnnl::reorder(m, user), {{DNNL_ARG_FROM, m}, {DNNL_ARG_TO, user}}});
  return m;
}

Plan concat(const Plan& a, const Plan& b, const Plan& c = {}) {
  Plan p = a;
  p.insert(p.end(), b.begin(), b.end());
  p.insert(p.end(), c.begin(), c.end());
  return p;
}

// One direction of one layer: times in ms, oneDNN's implementation names, differences from ours.
struct Row {
  Time ours, ours_gemm, plain, blocked_full, blocked_prim, relu_bwd;
  std::string impl_plain, impl_blocked;
  Diff diff_tree, diff_plain, diff_blocked;  // ours as dispatched, oneDNN (a), (b): vs GEMM
  Diff exact[4];  // ours GEMM, ours as dispatched, oneDNN (a), (b): vs the double result
};

struct Layer {
  const char* name;
  int in_hw, in_c, out_c;
};

constexpr int kBatch = 64;
const Layer kLayers[] = {{"conv1", 28, 1, 32}, {"conv2", 13, 32, 64}, {"conv3", 5, 64, 64}};
const char* const kDirs[] = {"forward", "bwd data", "bwd weights"};

// Runs all three directions of one layer; rows[0..2] are forward, backward data, backward weights.
void bench_layer(const Layer& L, dnnl::engine& eng, dnnl::stream& s, bool exact, Row rows[3]) {
  const int N = kBatch, H = L.in_hw, C = L.in_c, O = L.out_c, OH = H - 2;
  cnnlab::ConvGeometry g{N, H, H, C, OH, OH, O, 3, 3, 1, 1, 1, 1, 0, 0};

  std::vector<float> x(size_t(N) * H * H * C), w(9 * size_t(C) * O), b(O),
      dy(size_t(N) * OH * OH * O);
  fill(x, 0.0f, 1.0f, 1);  // inputs are pixels or pooled relu outputs: non-negative
  const float lim = std::sqrt(6.0f / float(9 * C + 9 * O));  // glorot uniform, as tfjs's default
  fill(w, -lim, lim, 2);
  fill(b, -0.1f, 0.1f, 3);
  fill(dy, -1.0f, 1.0f, 4);
  auto like = [](const std::vector<float>& v) { return std::vector<float>(v.size()); };
  std::vector<float> y = like(dy), dx = like(x), dw = like(w), db = like(b);  // GEMM path
  std::vector<float> y_t = like(dy), dx_t = like(x), dw_t = like(w), db_t = like(b);  // tree
  std::vector<float> y_a = like(dy), dx_a = like(x), dw_a = like(w), db_a = like(b);
  std::vector<float> y_b = like(dy), dx_b = like(x), dw_b = like(w), db_b = like(b);
  std::vector<float> dz = like(dy);  // oneDNN's dy * step(y)

  // Ours, as the addon calls them; then the GEMM path alone. The GEMM forward's y is the relu
  // mask every backward-weights variant uses.
  gemm_only::Geometry gg;
  std::memcpy(&gg, &g, sizeof gg);
  rows[0].ours_gemm = time_ms([&] { gemm_only::forward_relu(gg, x.data(), w.data(), b.data(), y.data()); });
  rows[1].ours_gemm = time_ms([&] { gemm_only::backprop_input(gg, dy.data(), w.data(), dx.data()); });
  rows[2].ours_gemm = time_ms([&] {
    gemm_only::backprop_filter_bias(gg, x.data(), dy.data(), y.data(), dw.data(), db.data());
  });
  rows[0].ours = time_ms([&] {
    cnnlab::conv2d_forward(g, x.data(), w.data(), b.data(), O, cnnlab::Activation::kRelu, 0, y_t.data());
  });
  rows[1].ours = time_ms([&] { cnnlab::conv2d_backprop_input(g, dy.data(), w.data(), dx_t.data()); });
  rows[2].ours = time_ms([&] {
    cnnlab::conv2d_backprop_filter_bias(g, x.data(), dy.data(), y.data(), dw_t.data(), db_t.data());
  });
  rows[0].diff_tree.add(y_t, y);
  rows[1].diff_tree.add(dx_t, dx);
  rows[2].diff_tree.add(dw_t, dw);
  rows[2].diff_tree.add(db_t, db);

  // oneDNN's logical dims are always N,C,H,W and O,I,H,W; the tag gives the physical order.
  const memory::dims src_d{N, C, H, H}, wei_d{O, C, 3, 3}, bia_d{O}, dst_d{N, O, OH, OH};
  const memory::dims stride{1, 1}, pad{0, 0};
  auto md = [](const memory::dims& d, tag t) { return memory::desc(d, memory::data_type::f32, t); };
  auto wrap = [&](const memory::dims& d, tag t, std::vector<float>& v) {
    return memory(md(d, t), eng, v.data());
  };
  // The users' buffers, in tfjs's layouts.
  memory x_u = wrap(src_d, tag::nhwc, x), w_u = wrap(wei_d, tag::hwio, w), b_u = wrap(bia_d, tag::x, b),
         y_u = wrap(dst_d, tag::nhwc, y), dy_u = wrap(dst_d, tag::nhwc, dy), dz_u = wrap(dst_d, tag::nhwc, dz);

  // The relu's backward pass from its output, dz = dy * (y > 0): ours folds it into the filter
  // gradient, so oneDNN's backward-weights plan starts with it. Done in NHWC in both variants.
  dnnl::eltwise_forward::primitive_desc relu_hint(
      {prop_kind::forward_training, algorithm::eltwise_relu_use_dst_for_bwd, md(dst_d, tag::nhwc)}, eng);
  dnnl::eltwise_backward::primitive_desc relu_pd(
      {algorithm::eltwise_relu_use_dst_for_bwd, md(dst_d, tag::nhwc), md(dst_d, tag::nhwc)}, eng, relu_hint);
  const Step relu_step{dnnl::eltwise_backward(relu_pd),
                       {{DNNL_ARG_DST, y_u}, {DNNL_ARG_DIFF_DST, dy_u}, {DNNL_ARG_DIFF_SRC, dz_u}}};

  dnnl::primitive_attr relu_attr;  // forward epilogue: bias is part of the conv, relu a post-op
  dnnl::post_ops ops;
  ops.append_eltwise(1.0f, algorithm::eltwise_relu, 0.0f, 0.0f);
  relu_attr.set_post_ops(ops);

  for (int blocked = 0; blocked < 2; ++blocked) {
    // (a) the primitives see NHWC / HWIO directly; (b) they pick their layouts.
    const tag act = blocked ? tag::any : tag::nhwc, wt = blocked ? tag::any : tag::hwio;
    std::vector<float>&yo = blocked ? y_b : y_a, &dxo = blocked ? dx_b : dx_a,
                      &dwo = blocked ? dw_b : dw_a, &dbo = blocked ? db_b : db_a;
    memory yo_u = wrap(dst_d, tag::nhwc, yo), dxo_u = wrap(src_d, tag::nhwc, dxo),
           dwo_u = wrap(wei_d, tag::hwio, dwo), dbo_u = wrap(bia_d, tag::x, dbo);

    dnnl::convolution_forward::primitive_desc fwd_pd(
        {prop_kind::forward_training, algorithm::convolution_direct, md(src_d, act), md(wei_d, wt),
         md(bia_d, tag::x), md(dst_d, act), stride, pad, pad},
        relu_attr, eng);
    dnnl::convolution_backward_data::primitive_desc bwd_d_pd(
        {algorithm::convolution_direct, md(src_d, act), md(wei_d, wt), md(dst_d, act), stride, pad, pad},
        eng, fwd_pd);
    dnnl::convolution_backward_weights::primitive_desc bwd_w_pd(
        {algorithm::convolution_direct, md(src_d, act), md(wei_d, wt), md(bia_d, tag::x),
         md(dst_d, act), stride, pad, pad},
        eng, fwd_pd);

    // Each direction: reorders in (pre), the primitive(s) (core), reorders out (post). In (a)
    // the layouts match the users' buffers, so pre and post stay empty.
    Plan pre[3], core[3], post[3];
    {
      memory xs = input_as(x_u, fwd_pd.src_desc(), eng, pre[0]);
      memory ws = input_as(w_u, fwd_pd.weights_desc(), eng, pre[0]);
      memory yd = output_as(yo_u, fwd_pd.dst_desc(), eng, post[0]);
      core[0].push_back({dnnl::convolution_forward(fwd_pd),
                         {{DNNL_ARG_SRC, xs}, {DNNL_ARG_WEIGHTS, ws}, {DNNL_ARG_BIAS, b_u}, {DNNL_ARG_DST, yd}}});
    }
    {
      memory dys = input_as(dy_u, bwd_d_pd.diff_dst_desc(), eng, pre[1]);
      memory ws = input_as(w_u, bwd_d_pd.weights_desc(), eng, pre[1]);
      memory dxd = output_as(dxo_u, bwd_d_pd.diff_src_desc(), eng, post[1]);
      core[1].push_back({dnnl::convolution_backward_data(bwd_d_pd),
                         {{DNNL_ARG_DIFF_DST, dys}, {DNNL_ARG_WEIGHTS, ws}, {DNNL_ARG_DIFF_SRC, dxd}}});
    }
    {
      pre[2].push_back(relu_step);  // part of the work in both variants, so timed in both
      memory dzs = input_as(dz_u, bwd_w_pd.diff_dst_desc(), eng, pre[2]);
      memory xs = input_as(x_u, bwd_w_pd.src_desc(), eng, pre[2]);
      memory dwd = output_as(dwo_u, bwd_w_pd.diff_weights_desc(), eng, post[2]);
      memory dbd = output_as(dbo_u, bwd_w_pd.diff_bias_desc(), eng, post[2]);
      core[2].push_back({dnnl::convolution_backward_weights(bwd_w_pd),
                         {{DNNL_ARG_SRC, xs}, {DNNL_ARG_DIFF_DST, dzs}, {DNNL_ARG_DIFF_WEIGHTS, dwd},
                          {DNNL_ARG_DIFF_BIAS, dbd}}});
    }
    const char* impls[3] = {fwd_pd.impl_info_str(), bwd_d_pd.impl_info_str(), bwd_w_pd.impl_info_str()};

    for (int d = 0; d < 3; ++d) {
      Row& r = rows[d];
      const Plan full = concat(pre[d], core[d], post[d]);
      const Time t_full = time_ms([&] { execute(s, full); });
      if (!blocked) {
        r.plain = t_full;
        r.impl_plain = impls[d];
        if (d == 2) r.impl_plain += std::string(" + relu_bwd ") + relu_pd.impl_info_str();
      } else {
        r.blocked_full = t_full;
        // The primitive alone; for backward weights that still includes the relu step (in NHWC).
        const Plan alone = d == 2 ? concat(Plan{relu_step}, core[d]) : core[d];
        r.blocked_prim = time_ms([&] { execute(s, alone); });
        r.impl_blocked = impls[d];
      }
      execute(s, full);  // leave this variant's final result in its output buffers
    }
    Diff* diff[3] = {blocked ? &rows[0].diff_blocked : &rows[0].diff_plain,
                     blocked ? &rows[1].diff_blocked : &rows[1].diff_plain,
                     blocked ? &rows[2].diff_blocked : &rows[2].diff_plain};
    diff[0]->add(yo, y);
    diff[1]->add(dxo, dx);
    diff[2]->add(dwo, dw);
    diff[2]->add(dbo, db);
  }
  rows[2].relu_bwd = time_ms([&] { execute(s, {relu_step}); });

  if (!exact) return;
  const Exact e = exact_conv(g, x, w, b, dy, y);
  const std::vector<float>* got[4][4] = {{&y, &dx, &dw, &db}, {&y_t, &dx_t, &dw_t, &db_t},
                                         {&y_a, &dx_a, &dw_a, &db_a}, {&y_b, &dx_b, &dw_b, &db_b}};
  for (int i = 0; i < 4; ++i) {
    rows[0].exact[i].add(*got[i][0], e.y);
    rows[1].exact[i].add(*got[i][1], e.dx);
    rows[2].exact[i].add(*got[i][2], e.dw);
    rows[2].exact[i].add(*got[i][3], e.db);
  }
}

}  // namespace

int main(int argc, char** argv) {
  bool once = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--once") == 0) once = true, g_warmup = 0, g_iters = 1, g_rounds = 1;
    if (std::strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) g_rounds = std::max(1, std::atoi(argv[++i]));
  }

  // As the addon's Init does: OpenBLAS single-threaded inside our own 2-thread pool.
  cnnlab::blas_single_threaded();
  const int threads = cnnlab::set_pool_threads(2);
  gemm_only::set_threads(2);  // the GEMM-only build has its own pool; same size
  const char* omp = std::getenv("OMP_NUM_THREADS");
  const dnnl_version_t* v = dnnl_version();
  std::printf("ours: %d pool threads, %s\n", threads, cnnlab::blas_config());
  std::printf("oneDNN %d.%d.%d (cpu runtime %s), OMP_NUM_THREADS=%s\n", v->major, v->minor, v->patch,
              v->cpu_runtime == DNNL_RUNTIME_OMP ? "OpenMP" : "other", omp ? omp : "(unset)");

  dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  dnnl::stream s(eng);

  // results[round][layer][direction]
  std::vector<std::vector<std::vector<Row>>> results(g_rounds,
                                                     std::vector<std::vector<Row>>(3, std::vector<Row>(3)));
  for (int round = 0; round < g_rounds; ++round) {
    for (int l = 0; l < 3; ++l) bench_layer(kLayers[l], eng, s, round == 0, results[round][l].data());
    if (!once) {
      // The VM is shared: the load average (which counts other tenants' work) says how busy it was.
      char load[64] = "?";
      if (FILE* f = std::fopen("/proc/loadavg", "r")) {
        if (!std::fgets(load, sizeof load, f)) load[0] = 0;
        std::fclose(f);
      }
      std::fprintf(stderr, "round %d of %d done, /proc/loadavg %s", round + 1, g_rounds, load);
    }
  }

  // A cell: the range of the rounds' medians, "lo-hi" ms, or the fastest single run of all rounds.
  auto cell = [&](int l, int d, Time Row::*field, bool best) {
    double lo = 1e30, hi = 0;
    for (auto& round : results) {
      const Time& t = round[l][d].*field;
      lo = std::min(lo, best ? t.best : t.median), hi = std::max(hi, t.median);
    }
    char buf[48];
    if (best) std::snprintf(buf, sizeof buf, "%.3f", lo);
    else std::snprintf(buf, sizeof buf, "%.3f-%.3f", lo, hi);
    return std::string(buf);
  };
  for (int best = 0; best < 2 && !once; ++best) {
    if (best) std::printf("\nfastest single run, all rounds, ms\n");
    else std::printf("\nmedian of %d runs after %d warm-ups, ms, range over %d rounds\n", g_iters, g_warmup, g_rounds);
    std::printf("%-6s %-12s %-14s %-14s %-14s %-16s %-16s\n", "layer", "direction", "ours (tree)",
                "ours (gemm)", "dnnl nhwc", "dnnl blk+reord", "dnnl blk alone");
    for (int l = 0; l < 3; ++l)
      for (int d = 0; d < 3; ++d)
        std::printf("%-6s %-12s %-14s %-14s %-14s %-16s %-16s\n", kLayers[l].name, kDirs[d],
                    cell(l, d, &Row::ours, best).c_str(), cell(l, d, &Row::ours_gemm, best).c_str(),
                    cell(l, d, &Row::plain, best).c_str(), cell(l, d, &Row::blocked_full, best).c_str(),
                    cell(l, d, &Row::blocked_prim, best).c_str());
    std::printf("(oneDNN bwd weights includes its relu backward, dz = dy*step(y); that step alone:");
    for (int l = 0; l < 3; ++l) std::printf(" %s %s", kLayers[l].name, cell(l, 2, &Row::relu_bwd, best).c_str());
    std::printf(")\n");
  }
  std::printf("\noneDNN's implementations (impl_info_str), nhwc / any\n");
  for (int l = 0; l < 3; ++l)
    for (int d = 0; d < 3; ++d)
      std::printf("%-6s %-12s %s / %s\n", kLayers[l].name, kDirs[d], results[0][l][d].impl_plain.c_str(),
                  results[0][l][d].impl_blocked.c_str());
  std::printf("\nmax relative difference (first round). scaled: max|a-r| / max|r|; elementwise: max |a-r|/|r|\n"
              "over elements with |r| > 1e-3 max|r|. r = our GEMM path, or the result computed in double\n");
  std::printf("%-6s %-12s %-27s %-27s %-27s\n", "", "", "vs ours GEMM, scaled:", "vs double, scaled:",
              "vs double, elementwise:");
  std::printf("%-6s %-12s %-8s %-8s %-9s %-6s %-6s %-6s %-7s %-6s %-6s %-6s %-6s\n", "layer", "direction", "tree",
              "nhwc", "any", "gemm", "tree", "nhwc", "any", "gemm", "tree", "nhwc", "any");
  for (int l = 0; l < 3; ++l)
    for (int d = 0; d < 3; ++d) {
      const Row& r = results[0][l][d];
      std::printf("%-6s %-12s %.1e  %.1e  %.1e   ", kLayers[l].name, kDirs[d], r.diff_tree.scaled,
                  r.diff_plain.scaled, r.diff_blocked.scaled);
      for (int i = 0; i < 4; ++i) std::printf("%.0e  ", r.exact[i].scaled);
      std::printf(" ");
      for (int i = 0; i < 4; ++i) std::printf("%.0e  ", r.exact[i].elementwise);
      std::printf("\n");
    }
  return 0;
}
