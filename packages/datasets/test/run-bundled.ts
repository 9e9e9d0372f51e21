import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** What a child process printed, and how it ended. */
export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs TypeScript source (importing from src/ by relative paths such as './node/read-idx-file.js')
 * in a fresh Node process: bundled with esbuild first, so the child measures only itself. Used to
 * bound the peak memory of a read (process.resourceUsage().maxRSS, printed by the child).
 */
export async function runBundled(
  source: string,
  args: string[] = [],
  timeoutMs = 20_000,
): Promise<ChildResult> {
  const dir = mkdtempSync(join(tmpdir(), 'cnnlab-child-'));
  const outfile = join(dir, 'child.mjs');
  try {
    await build({
      stdin: { contents: source, resolveDir: SRC, loader: 'ts', sourcefile: 'child.ts' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile,
      logLevel: 'silent',
    });
    return await new Promise<ChildResult>((resolve, reject) => {
      const child = spawn(process.execPath, [outfile, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: timeoutMs,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d;
      });
      child.stderr.on('data', (d: Buffer) => {
        stderr += d;
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
