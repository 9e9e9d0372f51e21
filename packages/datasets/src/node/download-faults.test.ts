import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { type DownloadOptions, type DownloadRetry, download } from './download.js';

// Faults a download must survive, each served by a local server on 127.0.0.1. Timeouts and retry
// pauses are set short through the options, so every case takes well under a second.

const body = new Uint8Array(64 * 1024).map((_, i) => (i * 7) % 253);
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');
// Stalls are only what a case sends on purpose: a loaded machine (the whole suite on two cores)
// can pause the event loop for longer than a short stall timeout. Stall cases set their own.
const FAST: DownloadOptions = { stallTimeoutMs: 5000, retryDelayMs: 5 };
const STALL: DownloadOptions = { stallTimeoutMs: 200 };

type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;
const routes = new Map<string, Handler>();
const hits = new Map<string, number>();
const sockets = new Set<Socket>();
let server: Server;
let base: string;

/** Serves `handler` at a fresh path; returns its URL. */
function serve(path: string, handler: Handler): string {
  routes.set(path, handler);
  return `${base}${path}`;
}

/** Writes chunks for ever (or until the client goes), never ending the response. */
function stream(res: ServerResponse, chunk: Uint8Array): void {
  const more = () => {
    while (!res.destroyed && res.write(chunk));
  };
  res.on('drain', more);
  more();
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '';
    const hit = (hits.get(path) ?? 0) + 1;
    hits.set(path, hit);
    const handler = routes.get(path);
    if (handler) handler(req, res, hit);
    else res.writeHead(404).end('not here');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A fresh folder for one case. */
const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), `cnnlab-fault-${prefix}-`));

/** Runs a download that must fail; returns its message, checked to be a one-line DatasetError. */
async function failure(url: string, dest: string, options: DownloadOptions = {}): Promise<string> {
  const error = await download(url, dest, { ...FAST, ...options }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatasetError);
  const message = (error as Error).message;
  expect(message).not.toContain('\n');
  expect(message.startsWith(`download of ${url} `)).toBe(true);
  return message;
}

describe('download stops a server that sends without end', () => {
  it('at the published size, keeping nothing', async () => {
    const url = serve('/endless/known', (_req, res) => {
      res.writeHead(200);
      stream(res, body);
    });
    const dir = tmp('endless');
    const started = Date.now();
    const message = await failure(url, join(dir, 'x.gz'), { size: 100_000 });
    expect(message).toBe(
      `download of ${url} stopped: more than the published 100000 bytes arrived; expected exactly 100000`,
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(readdirSync(dir)).toEqual([]);
    expect(hits.get('/endless/known')).toBe(1);
  });

  it('at maxBytes when the size is not known', async () => {
    const url = serve('/endless/unknown', (_req, res) => {
      res.writeHead(200);
      stream(res, body);
    });
    const dir = tmp('endless-cap');
    const message = await failure(url, join(dir, 'x.bin'), { maxBytes: 1 << 20 });
    expect(message).toBe(
      `download of ${url} stopped: more than 1048576 bytes arrived (maxBytes) and the size is not known; expected at most that much`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('before the body when the Content-Length says too much', async () => {
    const url = serve('/endless/announced', (_req, res) => {
      res.writeHead(200, { 'content-length': String(50 * 2 ** 30) });
      stream(res, body);
    });
    const dir = tmp('announced');
    const unknown = await failure(url, join(dir, 'x.bin'), { maxBytes: 1 << 20 });
    expect(unknown).toBe(
      `download of ${url} announces 53687091200 bytes, more than the limit of 1048576 (maxBytes); expected a smaller file`,
    );
    const known = await failure(url, join(dir, 'x.bin'), { size: 1000 });
    expect(known).toBe(`download of ${url} has 53687091200 bytes; the published file has 1000`);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('download drops unwanted bodies', () => {
  it('follows a redirect whose body never ends, without reading it', async () => {
    const target = serve('/redirect/target', (_req, res) => {
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    const url = serve('/redirect/endless', (_req, res) => {
      res.writeHead(302, { location: target });
      stream(res, body);
    });
    const dir = tmp('redirect');
    await download(url, join(dir, 'x.gz'), { ...FAST, md5: md5(body) });
    expect(readdirSync(dir)).toEqual(['x.gz']);
  });
});

describe('download times out', () => {
  it('when the server accepts the connection and never answers', async () => {
    const url = serve('/silent', () => undefined);
    const dir = tmp('silent');
    const message = await failure(url, join(dir, 'x.gz'), { ...STALL, retries: 1 });
    expect(message).toBe(
      `download of ${url} stalled: the server did not answer within 200 ms (stallTimeoutMs) (2 attempts)`,
    );
    // A stall is transient: it was tried again once.
    expect(hits.get('/silent')).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('when the body stalls half way', async () => {
    const url = serve('/stall', (_req, res) => {
      res.writeHead(200, { 'content-length': body.length });
      res.write(body.subarray(0, 1000));
    });
    const dir = tmp('stall');
    const message = await failure(url, join(dir, 'x.gz'), { ...STALL, retries: 0 });
    expect(message).toBe(
      `download of ${url} stalled: no data for 200 ms after 1000 of ${body.length} bytes (stallTimeoutMs)`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('at the deadline, however steadily a slow server trickles', async () => {
    const url = serve('/trickle', (_req, res) => {
      res.writeHead(200, { 'content-length': body.length });
      const tick = setInterval(() => {
        if (res.destroyed) clearInterval(tick);
        else res.write(body.subarray(0, 10));
      }, 20);
    });
    const dir = tmp('deadline');
    const started = Date.now();
    const message = await failure(url, join(dir, 'x.gz'), { deadlineMs: 300 });
    expect(message).toMatch(
      new RegExp(
        `^download of ${url} did not finish within 300 ms \\(deadlineMs\\); \\d+ of ${body.length} bytes had arrived$`,
      ),
    );
    expect(Date.now() - started).toBeLessThan(1500);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('download retries transient failures', () => {
  it('gets the file after two 503s, with growing pauses', async () => {
    const url = serve('/flaky', (_req, res, hit) => {
      if (hit <= 2) res.writeHead(503, 'Service Unavailable').end('busy');
      else res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    const dir = tmp('flaky');
    const dest = join(dir, 'x.gz');
    const retries: DownloadRetry[] = [];
    await download(url, dest, {
      ...FAST,
      size: body.length,
      md5: md5(body),
      onRetry: (retry) => retries.push(retry),
    });
    expect(readFileSync(dest).equals(body)).toBe(true);
    expect(readdirSync(dir)).toEqual(['x.gz']);
    expect(hits.get('/flaky')).toBe(3);
    expect(retries.map((r) => [r.attempt, r.attempts, r.delayMs])).toEqual([
      [1, 4, 5],
      [2, 4, 10],
    ]);
    expect(retries[0].reason).toBe(`download of ${url} failed: HTTP 503 Service Unavailable`);
  });

  it('gives up after the last retry, saying how many attempts were made', async () => {
    const url = serve('/down', (_req, res) => {
      res.writeHead(503, 'Service Unavailable').end();
    });
    const dir = tmp('down');
    const message = await failure(url, join(dir, 'x.gz'), { retries: 2 });
    expect(message).toBe(`download of ${url} failed: HTTP 503 Service Unavailable (3 attempts)`);
    expect(hits.get('/down')).toBe(3);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reports a body cut short as truncated, not as a write error, and retries it', async () => {
    const url = serve('/cut', (_req, res) => {
      // Connection: close, so the retry opens a new connection instead of reusing the closed one.
      res.writeHead(200, { 'content-length': body.length, connection: 'close' });
      // A clean close (FIN) after the bytes are out: a reset could overtake them under load.
      res.write(body.subarray(0, 5000), () => res.socket?.end());
    });
    const dir = tmp('cut');
    const message = await failure(url, join(dir, 'x.gz'), { retries: 1 });
    // How many of the 5,000 bytes the client took before the close is a race Node settles either
    // way (a premature close drops what was buffered); the message says how many it counted.
    const pattern = new RegExp(
      `^download of ${url} is truncated: the server closed the connection after (\\d+) of ${body.length} bytes \\(2 attempts\\)$`,
    );
    expect(message).toMatch(pattern);
    expect(Number(pattern.exec(message)?.[1])).toBeLessThanOrEqual(5000);
    expect(hits.get('/cut')).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('retries a refused connection, and nothing of the folders it made stays', async () => {
    // A port that was just free: nothing listens there.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const url = `http://127.0.0.1:${port}/x.gz`;
    const dir = tmp('refused');
    const retries: DownloadRetry[] = [];
    const message = await failure(url, join(dir, 'a', 'b', 'x.gz'), {
      retries: 2,
      onRetry: (r) => retries.push(r),
    });
    expect(message).toBe(
      `download of ${url} failed: connect ECONNREFUSED 127.0.0.1:${port} (3 attempts)`,
    );
    expect(retries).toHaveLength(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('does not retry a 404, a size mismatch or an MD5 mismatch', async () => {
    const url = serve('/wrong', (_req, res) => {
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    const dir = tmp('final');
    expect(await failure(`${base}/missing`, join(dir, 'x.gz'))).toBe(
      `download of ${base}/missing failed: HTTP 404 Not Found`,
    );
    expect(hits.get('/missing')).toBe(1);
    expect(await failure(url, join(dir, 'x.gz'), { md5: '0'.repeat(32) })).toBe(
      `download of ${url} has MD5 ${md5(body)}; expected ${'0'.repeat(32)} (corrupt or a different file)`,
    );
    expect(await failure(url, join(dir, 'x.gz'), { size: 10 })).toBe(
      `download of ${url} has ${body.length} bytes; the published file has 10`,
    );
    expect(hits.get('/wrong')).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('stops retrying when the next pause would pass the deadline', async () => {
    const url = serve('/later', (_req, res) => {
      res.writeHead(503, 'Service Unavailable', { 'retry-after': '30' }).end();
    });
    const started = Date.now();
    const message = await failure(url, join(tmp('later'), 'x.gz'), { deadlineMs: 5000 });
    expect(message).toBe(`download of ${url} failed: HTTP 503 Service Unavailable`);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('download with an AbortSignal', () => {
  it('stops mid-body, removing the .part file and the folders it made', async () => {
    const url = serve('/abort', (_req, res) => {
      res.writeHead(200);
      stream(res, body);
    });
    const dir = tmp('abort');
    const controller = new AbortController();
    const message = await failure(url, join(dir, 'new', 'x.gz'), {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.received > 200_000) controller.abort('SIGINT');
      },
    });
    expect(message).toBe(`download of ${url} was aborted (SIGINT)`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('stops while waiting for an answer, and during a pause between attempts', async () => {
    const silent = serve('/abort/silent', () => undefined);
    const busy = serve('/abort/busy', (_req, res) => {
      res.writeHead(503).end();
    });
    const dir = tmp('abort-wait');
    const waiting = new AbortController();
    setTimeout(() => waiting.abort(), 50);
    const started = Date.now();
    expect(
      await failure(silent, join(dir, 'x.gz'), { signal: waiting.signal, stallTimeoutMs: 10_000 }),
    ).toBe(`download of ${silent} was aborted`);
    const pausing = new AbortController();
    const second = await failure(busy, join(dir, 'x.gz'), {
      signal: pausing.signal,
      retryDelayMs: 10_000,
      onRetry: () => setTimeout(() => pausing.abort(new Error('interrupted by SIGTERM')), 20),
    });
    expect(second).toBe(`download of ${busy} was aborted (interrupted by SIGTERM)`);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('does nothing at all with a signal aborted before it starts', async () => {
    const url = serve('/never', (_req, res) => {
      res.end('x');
    });
    const dir = tmp('pre-abort');
    const message = await failure(url, join(dir, 'sub', 'x.gz'), { signal: AbortSignal.abort() });
    expect(message).toBe(`download of ${url} was aborted`);
    expect(hits.get('/never')).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('download cleanup', () => {
  it('keeps a folder that existed, and what others put in the folders it made', async () => {
    const dir = tmp('keep');
    writeFileSync(join(dir, 'mine.txt'), 'x');
    await failure(`${base}/missing`, join(dir, 'x.gz'));
    expect(readdirSync(dir)).toEqual(['mine.txt']);
  });

  it('removes .part files that killed processes left, not those of live ones', async () => {
    const url = serve('/ok', (_req, res) => {
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    const dir = tmp('stale');
    // The id of a process that has just ended: nothing runs under it now.
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], {
      encoding: 'utf8',
    });
    const deadPid = Number(dead.stdout.trim());
    const stale = `.x.gz.${deadPid}.0123abcd.part`;
    const live = `.x.gz.${process.ppid}.89abcdef.part`;
    const other = `.y.gz.${deadPid}.0123abcd.part`;
    for (const name of [stale, live, other]) writeFileSync(join(dir, name), 'partial');
    await download(url, join(dir, 'x.gz'), { ...FAST, md5: md5(body) });
    expect(readdirSync(dir).sort()).toEqual([live, other, 'x.gz'].sort());
  });

  it('rejects bad limits by name before touching anything', async () => {
    const dir = tmp('limits');
    for (const [options, text] of [
      [{ stallTimeoutMs: 0 }, 'stallTimeoutMs is 0; expected a positive number (default 30000)'],
      [{ deadlineMs: -1 }, 'deadlineMs is -1; expected a positive number (default 600000)'],
      [{ retries: 1.5 }, 'retries is 1.5; expected a whole number ≥ 0 (default 3)'],
      [
        { maxBytes: Number.NaN },
        'maxBytes is NaN; expected a positive number (default 1073741824)',
      ],
    ] as const) {
      await expect(download(`${base}/ok`, join(dir, 'n', 'x.gz'), options)).rejects.toThrow(text);
    }
    expect(existsSync(join(dir, 'n'))).toBe(false);
  });
});
