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
 */
export async function makeDirs(dir: string): Promise<void> {
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
}

/** Creates `dir` or says in one line why it cannot be written. */
export async function ensureDir(dir: string): Promise<void> {
  try {
    await makeDirs(dir);
    const probe = join(dir, `.cnnlab-probe-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe);
  } catch (error) {
    throw new CliError(`cannot write to output folder ${dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Writes beside the target then renames, so no reader sees half a file. */
export async function writeTextAtomic(path: string, text: string): Promise<void> {
  await makeDirs(dirname(path));
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

export function percent(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}
