import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

// A long destination name is cut, so that the temporary name stays under the 255-byte limit.
function stemOf(dest: string): string {
  return Array.from(basename(dest)).slice(0, 60).join('');
}

/**
 * The temporary file a download of `dest` writes to, beside it: `.<name>.<pid>.<random>.part`.
 * The process id lets a later download tell a file left by a killed process from a live one's.
 */
export function partFilePath(dest: string): string {
  return join(
    dirname(dest),
    `.${stemOf(dest)}.${process.pid}.${randomBytes(4).toString('hex')}.part`,
  );
}

/** Whether a process with this id runs (one of another user answers EPERM: it runs). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the `.part` files of `dest` that processes no longer running left behind (a download
 * killed with SIGKILL, or a machine that lost power), so they do not pile up in the cache. Those
 * of running processes, this one included, are left alone. Never throws.
 */
export async function removeStaleParts(dest: string): Promise<void> {
  const prefix = `.${stemOf(dest)}.`;
  const names = await readdir(dirname(dest)).catch(() => [] as string[]);
  await Promise.all(
    names.map(async (name) => {
      if (!name.startsWith(prefix)) return;
      const match = /^(\d+)\.[0-9a-f]{8}\.part$/.exec(name.slice(prefix.length));
      if (!match) return;
      const pid = Number(match[1]);
      if (pid === process.pid || isRunning(pid)) return;
      await rm(join(dirname(dest), name), { force: true }).catch(() => undefined);
    }),
  );
}
