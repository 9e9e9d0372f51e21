import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Every scratch entry a save makes starts so, followed by the saving process's PID. */
const PREFIX = '.cnnlab-save.';

// Scratch names of earlier versions, each with the PID that made it: the CLI's `.saving-PID/`
// folder, and the `.<file>.<PID>.<8 hex>.tmp` files of the per-file atomic writes.
const OWNERS = [
  /^\.cnnlab-save\.(\d+)\./,
  /^\.saving-(\d+)$/,
  /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/,
] as const;

/**
 * A fresh scratch path in `dir` for this process: `.cnnlab-save.<PID>.<8 hex>.<role>`. The next
 * save into the folder removes it once that process has ended, so anyone writing scratch files
 * into a model folder (the CLI's cnnlab.json copy, say) can name them so.
 */
export function scratchPath(dir: string, role: string): string {
  return join(dir, `${PREFIX}${process.pid}.${randomBytes(4).toString('hex')}.${role}`);
}

/** The PID whose scratch entry `name` is, or undefined when it is not scratch. */
export function scratchOwner(name: string): number | undefined {
  for (const pattern of OWNERS) {
    const match = pattern.exec(name);
    if (match) return Number(match[1]);
  }
  return undefined;
}

/**
 * Whether a process with this PID runs (signal 0 asks without sending). A PID taken again by a
 * new process reads as alive: its scratch then stays until a later save.
 */
export function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs as another user.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Removes the scratch files and folders in `dir` whose process has ended (a save killed part
 * way); this process's and other live ones' stay. Best effort: resolves to the names removed.
 */
export async function removeStaleScratch(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const pid = scratchOwner(name);
    if (pid === undefined || pid === process.pid || isAlive(pid)) continue;
    try {
      await rm(join(dir, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Left for a later save.
    }
  }
  return removed;
}
