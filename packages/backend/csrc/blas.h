// The BLAS the addon is built against: OpenBLAS (Linux, Windows; shared for source builds, static
// for the prebuilt platform packages) or Apple's Accelerate (macOS). Only cblas_sgemm is used.
#pragma once

#if defined(CNNLAB_BLAS_ACCELERATE)
#include <Accelerate/Accelerate.h>

namespace cnnlab {
inline const char* blas_config() { return "Accelerate"; }
// Accelerate sizes its own threads; VECLIB_MAXIMUM_THREADS=1 makes it single-threaded.
inline void blas_single_threaded() {}
}  // namespace cnnlab

#else
#include <cblas.h>

extern "C" {
// OpenBLAS extensions (declared here: not every cblas.h declares them).
void openblas_set_num_threads(int num_threads);
char* openblas_get_config(void);
}

namespace cnnlab {
inline const char* blas_config() { return openblas_get_config(); }
// Our own pool splits the work; OpenBLAS threads inside it would oversubscribe the cores.
inline void blas_single_threaded() { openblas_set_num_threads(1); }
}  // namespace cnnlab
#endif
