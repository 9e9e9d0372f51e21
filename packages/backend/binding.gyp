{
  "targets": [
    {
      "target_name": "cnnlab_native",
      "sources": [
        "native/addon.cc",
        "native/conv2d.cc",
        "native/elementwise.cc",
        "native/matmul.cc",
        "native/pool2d.cc",
        "native/thread_pool.cc"
      ],
      "include_dirs": ["<!(node -p \"process.env.CNNLAB_CBLAS_INCLUDE || '.'\")"],
      "libraries": ["-lopenblas", "-lpthread"],
      "cflags": ["-O3", "-pthread", "-fno-math-errno", "-fno-trapping-math"],
      "cflags_cc": ["-std=c++17", "-fexceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
      "ldflags": ["-pthread"],
      "defines": ["NAPI_VERSION=8"],
      "conditions": [
        ["target_arch == 'x64'", { "cflags": ["-march=x86-64-v2", "-mtune=generic"] }]
      ]
    }
  ]
}
