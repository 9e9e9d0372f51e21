// The python3 of the tests that use Debian's numpy, h5py or Pillow as the independent writer and
// reader of their fixtures: the PATH's first, else Debian's own (a pyenv or virtualenv python
// earlier on PATH often lacks them).
import { execFileSync } from 'node:child_process';

/** The first python3 that can `import <modules>` (e.g. 'h5py, numpy'), or undefined. */
export function findPython(modules: string): string | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(python, ['-c', `import ${modules}`], { stdio: 'ignore' });
      return python;
    } catch {}
  }
  return undefined;
}
