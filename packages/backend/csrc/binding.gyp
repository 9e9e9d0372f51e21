{
  # Settings come from the environment, set by scripts/build-native.mjs (or by hand for a build
  # from source): CNNLAB_BLAS is 'openblas' (link the system's shared libopenblas: source builds),
  # 'static' (link the library file CNNLAB_BLAS_LIB into the addon: the prebuilt platform
  # packages) or 'accelerate' (macOS); CNNLAB_BLAS_INCLUDE is the folder of cblas.h;
  # CNNLAB_CPU is the x86-64 baseline (-march) or empty for the compiler's default.
  "variables": {
    "cnnlab_blas%": "<!(node -p \"process.env.CNNLAB_BLAS || 'openblas'\")",
    "cnnlab_blas_include%": "<!(node -p \"process.env.CNNLAB_BLAS_INCLUDE || '.'\")",
    "cnnlab_blas_lib%": "<!(node -p \"process.env.CNNLAB_BLAS_LIB || ''\")",
    "cnnlab_cpu%": "<!(node -p \"process.env.CNNLAB_CPU || ''\")"
  },
  "targets": [
    {
      "target_name": "cnnlab_native",
      "sources": [
        "addon.cc",
        "conv2d.cc",
        "conv2d_direct.cc",
        "elementwise.cc",
        "matmul.cc",
        "pool2d.cc",
        "thread_pool.cc"
      ],
      "include_dirs": ["<(cnnlab_blas_include)"],
      "defines": ["NAPI_VERSION=8"],
      # -ffp-contract=off: no fused multiply-adds where the cpu backend rounds twice, so the
      # element-wise kernels stay bit-identical to it on every CPU baseline.
      "cflags": ["-O3", "-pthread", "-fno-math-errno", "-fno-trapping-math", "-ffp-contract=off"],
      "cflags_cc": ["-std=c++17", "-fexceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
      "ldflags": ["-pthread"],
      "conditions": [
        ["cnnlab_cpu != ''", { "cflags": ["-march=<(cnnlab_cpu)", "-mtune=generic"] }],
        ["cnnlab_blas == 'openblas'", { "libraries": ["-lopenblas", "-lpthread"] }],
        [
          "cnnlab_blas == 'static' and OS != 'win'",
          {
            "libraries": ["<(cnnlab_blas_lib)", "-lpthread", "-lm"],
            # Self-contained: the C++ runtime inside the addon, OpenBLAS's symbols kept private
            # (no clash with another BLAS in the process), unused sections dropped.
            "ldflags": [
              "-static-libstdc++",
              "-static-libgcc",
              "-Wl,--exclude-libs,ALL",
              "-Wl,--gc-sections",
              "-Wl,-s"
            ]
          }
        ],
        ["cnnlab_blas == 'static' and OS == 'win'", { "libraries": ["<(cnnlab_blas_lib)"] }],
        [
          "cnnlab_blas == 'accelerate'",
          {
            "defines": ["CNNLAB_BLAS_ACCELERATE", "ACCELERATE_NEW_LAPACK"],
            "libraries": ["-framework Accelerate"]
          }
        ],
        [
          "OS == 'mac'",
          {
            "xcode_settings": {
              "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
              "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
              "MACOSX_DEPLOYMENT_TARGET": "11.0",
              "OTHER_CFLAGS": ["-O3", "-fno-math-errno", "-ffp-contract=off"]
            }
          }
        ],
        [
          "OS == 'win'",
          {
            "msvs_settings": {
              "VCCLCompilerTool": {
                "ExceptionHandling": 1,
                "AdditionalOptions": ["/std:c++17", "/O2", "/fp:precise"]
              }
            }
          }
        ]
      ]
    }
  ]
}
