import { rmSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { makeDirs } from '@cnnlab/datasets/node';
import { CliError } from './errors.js';
import { atForcedExit } from './interrupt.js';

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
 * Creates `dir` (one level at a time: Node 20's recursive mkdir hangs under /proc) or says in
 * one line why it cannot be written. Resolves to the topmost folder it
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
 * training); when `work` fails or is interrupted (an InterruptedError, or a signal that ends the
 * process at once), a folder this call created is removed with what it holds, so a failed run
 * leaves nothing behind. A folder that existed before is left as it was.
 */
export async function withOutputDir<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const created = await ensureDir(dir);
  const forget = created
    ? atForcedExit(() => rmSync(created, { recursive: true, force: true }))
    : () => undefined;
  try {
    return await work();
  } catch (error) {
    if (created) await rm(created, { recursive: true, force: true });
    throw error;
  } finally {
    forget();
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
