/**
 * Which BLAS and which of its kernels the addon runs, for people: "OpenBLAS 0.3.21, Cooperlake
 * kernels". OpenBLAS chooses its kernels by CPU model when it loads, and OPENBLAS_CORETYPE
 * overrides the choice: a machine that sets it to an older core (Haswell on an AVX-512 CPU) runs
 * the convolutions' GEMMs at half speed, which is worth seeing next to a benchmark's figures.
 *
 * `config` is what the addon's blasConfig() returns (openblas_get_config(), e.g. "OpenBLAS
 * 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64", or "Accelerate").
 */
export function describeBlas(config: string, coreType: string | undefined): string {
  const words = config.trim().split(/\s+/);
  if (words[0] !== 'OpenBLAS') return config.trim() || 'unknown BLAS';
  const version = words[1] && /^\d/.test(words[1]) ? ` ${words[1]}` : '';
  // The kernel set is the one word that is neither the version nor a build flag (NO_AFFINITY,
  // DYNAMIC_ARCH, MAX_THREADS=64, USE64BITINT, ...).
  const core = words
    .slice(version ? 2 : 1)
    .filter((w) => !w.includes('_') && !w.includes('=') && !/^USE64BITINT$|^SMP$/i.test(w))
    .at(-1);
  const forced = coreType?.trim() ? ` (OPENBLAS_CORETYPE=${coreType.trim()})` : '';
  return `OpenBLAS${version}${core ? `, ${core} kernels` : ''}${forced}`;
}
