#!/usr/bin/env bash
# Builds conv_bench.cc against our kernels (csrc/conv2d.cc, thread_pool.cc) and oneDNN, then runs:
# a DNNL_VERBOSE pass (which ISA oneDNN's JIT picked at run time), the same with the ISA capped
# at AVX2 (run-time dispatch), the library's size and dependencies, and the 3-round timing.
# Usage: bash packages/backend/bench/onednn/run.sh [--rounds N]
# Needs Debian's libdnnl-dev and libopenblas-dev. OpenBLAS's kernels follow OPENBLAS_CORETYPE when
# it is set (the program prints which ran): unset it to compare with OpenBLAS's own choice.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
csrc="$here/../../csrc"
out="${CNNLAB_BENCH_OUT:-${TMPDIR:-/tmp}/cnnlab-onednn-bench}"  # build output kept out of the repo
mkdir -p "$out"

# binding.gyp's flags, with the prebuilt linux-x64 package's CPU baseline (its "march", -mtune=generic):
# that package is where oneDNN would ship. CNNLAB_CPU overrides it; CNNLAB_CPU= (empty) is a source
# build's compiler default.
if [[ -z "${CNNLAB_CPU+set}" ]]; then
  CNNLAB_CPU="$(sed -n 's/.*"march": *"\([^"]*\)".*/\1/p' "$here/../../../backend-linux-x64-gnu/package.json")"
fi
march=(); [[ -n "$CNNLAB_CPU" ]] && march=(-march="$CNNLAB_CPU" -mtune=generic)
echo "CPU baseline: ${CNNLAB_CPU:-compiler default}"
cxx=(g++ -std=c++17 -O3 -pthread -fno-math-errno -fno-trapping-math -ffp-contract=off "${march[@]}"
     -I"$csrc" -I"$here")
# Our kernels as the addon builds them: binding.gyp's sources, less addon.cc (it needs Node's headers).
mapfile -t ours < <(grep -o '"[A-Za-z0-9_]*\.cc"' "$csrc/binding.gyp" | tr -d '"' | grep -vx addon.cc)
echo "ours: ${ours[*]}"
# The GEMM path alone: conv2d.cc and its pool again, under another namespace name, with the
# direct kernels stubbed out (gemm_only.cc).
objs=()
for src in "$csrc/conv2d.cc" "$csrc/thread_pool.cc" "$here/gemm_only.cc"; do
  obj="$out/gemm_$(basename "$src" .cc).o"
  "${cxx[@]}" -Dcnnlab=cnnlab_gemm -c "$src" -o "$obj"
  objs+=("$obj")
done
"${cxx[@]}" "$here/conv_bench.cc" "${ours[@]/#/$csrc/}" "${objs[@]}" \
  -o "$out/conv_bench" -ldnnl -lopenblas -lpthread

# 2 threads each: oneDNN's OpenMP team, and our pool (the addon's default on this 2-core machine;
# the program also calls set_pool_threads(2) and makes OpenBLAS single-threaded as the addon does).
export OMP_NUM_THREADS=2 CNNLAB_NATIVE_THREADS=2
unset DNNL_VERBOSE DNNL_MAX_CPU_ISA ONEDNN_VERBOSE ONEDNN_MAX_CPU_ISA

echo "== DNNL_VERBOSE=1, one pass: detected ISA and the convolutions run =="
DNNL_VERBOSE=1 "$out/conv_bench" --once | grep -E '^(dnnl|onednn)_verbose,(info,cpu|exec,cpu,convolution)' \
  | sed -E 's/,[0-9.]+$//' | sort -u

echo; echo "== DNNL_MAX_CPU_ISA=AVX2: same binary, JIT dispatch capped at AVX2 =="
DNNL_MAX_CPU_ISA=AVX2 "$out/conv_bench" --once | sed -n "/^oneDNN's implementations/,/^$/p"

echo; echo "== libdnnl size and runtime dependencies =="
lib="$(ldd "$out/conv_bench" | awk '/libdnnl/ {print $3}')"
ls -lL "$lib"
ldd "$lib"
for dep in libgomp.so.1 libOpenCL.so.1; do
  ls -lL "$(ldd "$lib" | awk -v d="$dep" '$1 == d {print $3}')"
done

echo; echo "== timing: 3 rounds =="
"$out/conv_bench" "$@"
