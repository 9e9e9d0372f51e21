import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CliError } from './errors.js';

/** Where a command writes: people's lines go to stderr under --json so stdout stays parseable. */
export interface Output {
  quiet: boolean;
  json: boolean;
  verbose: boolean;
  /** A progress or status line for people. */
  info(line: string): void;
  /** The command's result: JSON under --json, else the text. */
  result(value: unknown, text: string): void;
}

export function makeOutput(options: {
  quiet?: boolean;
  json?: boolean;
  verbose?: boolean;
}): Output {
  const quiet = Boolean(options.quiet);
  const json = Boolean(options.json);
  return {
    quiet,
    json,
    verbose: Boolean(options.verbose),
    info(line) {
      if (!quiet) (json ? process.stderr : process.stdout).write(`${line}\n`);
    },
    result(value, text) {
      if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      else if (text) process.stdout.write(`${text}\n`);
    },
  };
}

/**
 * mkdir -p one level at a time: Node 20's `mkdir(…, { recursive: true })` never settles for a
 * path such as /proc/x/y (the kernel answers ENOENT, and Node retries the parent forever).
 * Resolves to the topmost folder it created, or undefined when `dir` existed.
 */
export async function makeDirs(dir: string): Promise<string | undefined> {
  const missing: string[] = [];
  let current = dir;
  for (;;) {
    try {
      if ((await stat(current)).isDirectory()) break;
      throw new Error(`${current} is a file, not a folder`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const parent = dirname(current);
    missing.unshift(current);
    if (parent === current) break;
    current = parent;
  }
  for (const path of missing) {
    await mkdir(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
  return missing[0];
}

/**
 * Creates `dir` or says in one line why it cannot be written. Resolves to the topmost folder it
 * created (undefined when `dir` existed), for withOutputDir to remove after a failure.
 */
export async function ensureDir(dir: string): Promise<string | undefined> {
  try {
    const created = await makeDirs(dir);
    const probe = join(dir, `.cnnlab-probe-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe);
    return created;
  } catch (error) {
    throw new CliError(`cannot write to output folder ${dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Runs `work` with `dir` created first (so an unwritable folder fails before minutes of
 * training); when `work` fails, a folder this call created is removed with what it holds, so a
 * failed run leaves nothing behind. A folder that existed before is left as it was.
 */
export async function withOutputDir<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const created = await ensureDir(dir);
  try {
    return await work();
  } catch (error) {
    if (created) await rm(created, { recursive: true, force: true });
    throw error;
  }
}

/** Writes beside the target then renames, so no reader sees half a file. */
export async function writeTextAtomic(path: string, text: string): Promise<void> {
  await makeDirs(dirname(path));
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

export function percent(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}
