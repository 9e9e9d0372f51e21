// Browser benchmark (pnpm bench; not a test): seconds per 1,000 training images of the workshop
// CNN (batch 64, rmsprop) in headless chromium without a GPU, on the built site's bench.html:
// the backend the page chooses by default, wasm threaded (page cross-origin isolated), wasm
// single-threaded (the same site served without the isolation headers), and WebGL on whatever
// renders it (SwiftShader here), beside PyTorch on the same CNN when a python3 with torch is
// found. `--json` prints the figures as JSON instead of a table. BENCH_STEPS sets the timed steps.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const json = process.argv.includes('--json');
const STEPS = Number(process.env.BENCH_STEPS ?? 20);
// Software WebGL takes seconds a step; a few steps tell enough.
const WEBGL_STEPS = Math.min(STEPS, 4);
const WARMUP = 2;
const BATCH = 64;
const cores = availableParallelism();

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function findChromium() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    } catch {}
  }
  throw new Error(
    'bench: no chromium on PATH (Debian: apt-get install chromium), or set CHROMIUM_PATH',
  );
}

const say = (line) => {
  if (!json) console.error(line);
};

if (!existsSync(`${root}dist/bench.html`)) {
  say('bench: dist/bench.html is missing, building the site first');
  await build({ root, logLevel: 'warn' });
}

// The project's own `vite preview` (cross-origin isolated, as vite.config.ts says), and the same
// site with both headers back at the browser's defaults: what a host without them serves.
const isolated = await preview({
  root,
  logLevel: 'error',
  preview: { port: 0, host: '127.0.0.1' },
});
const plain = await preview({
  root,
  logLevel: 'error',
  preview: {
    port: 0,
    host: '127.0.0.1',
    headers: {
      'Cross-Origin-Opener-Policy': 'unsafe-none',
      'Cross-Origin-Embedder-Policy': 'unsafe-none',
    },
  },
});
const url = (server) => server.resolvedUrls?.local[0] ?? '';

const RUNS = [
  { label: 'default choice', server: isolated, backend: undefined, steps: STEPS },
  { label: 'wasm, threaded', server: isolated, backend: 'wasm', steps: STEPS },
  { label: 'wasm, single-threaded', server: plain, backend: 'wasm', steps: STEPS },
  {
    label: 'webgl (any renderer)',
    server: isolated,
    backend: 'webgl-software',
    steps: WEBGL_STEPS,
  },
];

const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
const rows = [];
try {
  for (const run of RUNS) {
    say(`bench: ${run.label}, ${run.steps} steps…`);
    const page = await browser.newPage();
    const query = new URLSearchParams({ steps: String(run.steps), warmup: String(WARMUP) });
    if (run.backend) query.set('backend', run.backend);
    await page.goto(`${url(run.server)}bench.html?${query}`);
    await page.waitForSelector('body[data-done]', { timeout: 600_000 });
    const result = JSON.parse((await page.textContent('#bench-json')) ?? '{}');
    await page.close();
    rows.push({ run: run.label, ...result });
  }
} finally {
  await browser.close();
  await isolated.close();
  await plain.close();
}

// The same CNN, optimizer and batch in PyTorch on every core, for scale.
const torchScript = `
import time, torch, torch.nn as nn
torch.set_num_threads(${cores}); torch.manual_seed(0)
model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
    nn.MaxPool2d(2), nn.Conv2d(64, 64, 3), nn.ReLU(), nn.Flatten(), nn.Linear(576, 64), nn.ReLU(),
    nn.Linear(64, 10))
opt = torch.optim.RMSprop(model.parameters(), lr=0.001, alpha=0.9, eps=1e-7)
loss_fn = nn.CrossEntropyLoss()
x, y = torch.rand(${BATCH}, 1, 28, 28), torch.randint(0, 10, (${BATCH},))
def step():
    opt.zero_grad(); loss_fn(model(x), y).backward(); opt.step()
for _ in range(${WARMUP}): step()
t = time.perf_counter()
for _ in range(${STEPS}): step()
print((time.perf_counter() - t) / (${STEPS} * ${BATCH}) * 1000, torch.__version__)
`;
let torch = null;
for (const python of ['python3', '/usr/bin/python3']) {
  try {
    const [seconds, version] = execFileSync(python, ['-c', torchScript], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .trim()
      .split(' ');
    torch = { python, version, secondsPer1k: Number(seconds), threads: cores };
    break;
  } catch {}
}

const result = {
  cores,
  cpu: cpus()[0]?.model.trim() ?? 'unknown',
  chromium: execFileSync(findChromium(), ['--version'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim(),
  flags: CHROMIUM_ARGS,
  model: 'workshop CNN, batch 64, rmsprop',
  warmup: WARMUP,
  runs: rows,
  torch,
};

if (json) {
  console.log(JSON.stringify(result, null, 2));
} else {
  const cell = (text, width, right = false) =>
    right ? String(text).padStart(width) : String(text).padEnd(width);
  const line = (run, backend, seconds, ratio, isolation, threads) =>
    `${cell(run, 24)}${cell(backend, 16)}${cell(seconds, 10, true)}${cell(ratio, 12, true)}  ${cell(isolation, 10)}${threads}`;
  const lines = [
    `web backend benchmark — ${cores} cores (${result.cpu}), ${result.chromium}, --disable-gpu`,
    `workshop CNN, batch ${BATCH}, rmsprop: seconds per 1,000 training images, ${STEPS} timed steps ` +
      `(webgl ${WEBGL_STEPS}) after ${WARMUP} warm-up steps; ratios > 1 are slower than PyTorch`,
    '',
    line('run', 'backend', 's/1k img', 'vs PyTorch', 'isolated', 'wasm threads'),
  ];
  for (const row of rows) {
    if (row.error) {
      lines.push(`${cell(row.run, 24)}failed: ${row.error}`);
      continue;
    }
    const threads =
      row.threads === null ? '—' : `${row.threads}${row.threadedBuild ? ' (threaded build)' : ''}`;
    lines.push(
      line(
        row.run,
        row.id,
        row.secondsPer1k.toFixed(3),
        torch ? `${(row.secondsPer1k / torch.secondsPer1k).toFixed(1)}×` : '—',
        row.crossOriginIsolated ? 'yes' : 'no',
        threads,
      ),
    );
  }
  lines.push(
    torch
      ? line(
          `PyTorch ${torch.version}`,
          'CPU',
          torch.secondsPer1k.toFixed(3),
          '1.0×',
          '—',
          `${cores} (torch.set_num_threads, ${torch.python})`,
        )
      : `${cell('PyTorch', 24)}not measured: no python3 with torch (Debian: apt-get install python3-torch)`,
  );
  lines.push('', 'why each backend ran (initBackend):');
  for (const row of rows) lines.push(`  ${row.run}: ${row.error ?? row.reason}`);
  console.log(lines.join('\n'));
}
