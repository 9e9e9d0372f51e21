import { readFileSync } from 'node:fs';

/** The platforms a prebuilt `@cnnlab/backend-<platform>` package is published for. */
export const PREBUILT_PLATFORMS = [
  'linux-x64-gnu',
  'linux-arm64-gnu',
  'darwin-arm64',
  'darwin-x64',
  'win32-x64-msvc',
] as const;

/** This machine as a platform-package suffix: linux-x64-gnu, linux-x64-musl, darwin-arm64, … */
export function hostPlatform(): string {
  const { platform, arch } = process;
  if (platform === 'linux') {
    const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } };
    return `linux-${arch}-${report?.header?.glibcVersionRuntime ? 'gnu' : 'musl'}`;
  }
  return platform === 'win32' ? `win32-${arch}-msvc` : `${platform}-${arch}`;
}

/** The package holding the prebuilt addon for `platform`. */
export function platformPackage(platform: string): string {
  return `@cnnlab/backend-${platform}`;
}

/** Of the CPU features `required` (as /proc/cpuinfo names them), those `cpuinfo` lacks. */
export function missingCpuFlags(required: readonly string[], cpuinfo: string): string[] {
  const line = cpuinfo.split('\n').find((l) => /^flags\s*:/.test(l));
  if (!line) return [];
  const have = new Set(
    line
      .slice(line.indexOf(':') + 1)
      .trim()
      .split(/\s+/),
  );
  return required.filter((flag) => !have.has(flag));
}

/** /proc/cpuinfo where there is one; '' elsewhere (no check is then made). */
export function readCpuinfo(): string {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return '';
  }
}
