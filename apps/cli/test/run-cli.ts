import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const CLI = join(import.meta.dirname, '..', 'dist', 'cli.js');
const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a real process; resolves with its output and exit code whatever the code. */
export async function cnnlabWith(
  options: { env?: Record<string, string>; cwd?: string },
  ...args: string[]
): Promise<CliResult> {
  if (!existsSync(CLI)) throw new Error('build the CLI first: pnpm build');
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      timeout: 120_000,
      env: { ...process.env, ...options.env },
      ...(options.cwd ? { cwd: options.cwd } : {}),
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

export function cnnlab(...args: string[]): Promise<CliResult> {
  return cnnlabWith({}, ...args);
}
