import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const CLI = join(import.meta.dirname, '..', 'dist', 'cli.js');
/** Preloaded into a CLI process, writes its peak resident memory at exit (see cnnlabPeak). */
const PEAK_RSS = join(import.meta.dirname, 'peak-rss.cjs');
const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function built(): void {
  if (!existsSync(CLI)) throw new Error('build the CLI first: pnpm build');
}

/** Runs the built CLI as a real process; resolves with its output and exit code whatever the code. */
export async function cnnlabWith(
  options: { env?: Record<string, string>; cwd?: string; node?: string[] },
  ...args: string[]
): Promise<CliResult> {
  built();
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [...(options.node ?? []), CLI, ...args],
      {
        timeout: 120_000,
        env: { ...process.env, ...options.env },
        ...(options.cwd ? { cwd: options.cwd } : {}),
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

export function cnnlab(...args: string[]): Promise<CliResult> {
  return cnnlabWith({}, ...args);
}

/** cnnlab, with its wall time and its peak resident memory (bytes) as the kernel counted it. */
export async function cnnlabPeak(
  ...args: string[]
): Promise<CliResult & { peakRss: number; ms: number }> {
  const file = join(tmpdir(), `cnnlab-peak-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const started = performance.now();
  const result = await cnnlabWith(
    { node: ['--require', PEAK_RSS], env: { CNNLAB_PEAK_RSS_FILE: file } },
    ...args,
  );
  const ms = performance.now() - started;
  const peakRss = Number(readFileSync(file, 'utf8')) * 1024;
  rmSync(file, { force: true });
  return { ...result, peakRss, ms };
}

/** A CLI process to talk to while it runs: wait for a line of its output, send it a signal. */
export interface RunningCli {
  child: ChildProcess;
  /** stdout and stderr so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves once stdout or stderr matches `pattern`; rejects after `ms` or if it exits first. */
  waitFor(pattern: RegExp, ms?: number): Promise<void>;
  /** Resolves with the exit code (or 128 + the signal's number, had it died of one) and output. */
  exited: Promise<CliResult>;
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

export function startCnnlab(...args: string[]): RunningCli {
  built();
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const changed = () => {
    for (const waiter of waiters) waiter();
  };
  child.stdout?.on('data', (chunk) => {
    stdout += String(chunk);
    changed();
  });
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
    changed();
  });
  const exited = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      resolve({ code: code ?? 128 + (SIGNAL_NUMBERS[signal ?? ''] ?? 0), stdout, stderr });
      changed();
    });
  });
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    waitFor(pattern, ms = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${pattern} within ${ms} ms; output so far:\n${stdout}${stderr}`));
        }, ms);
        const check = () => {
          if (pattern.test(stdout) || pattern.test(stderr)) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          } else if (child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(new Error(`exited before ${pattern}; output:\n${stdout}${stderr}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
  };
}
