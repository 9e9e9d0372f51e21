import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { basename, dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DatasetError } from '../errors.js';
import { makeDirs } from './make-dirs.js';

/** Progress of one download, reported as bytes arrive. */
export interface DownloadProgress {
  url: string;
  file: string;
  received: number;
  /** Expected size in bytes when known (published size or Content-Length). */
  total: number | undefined;
}

export interface DownloadOptions {
  /** Expected size in bytes; a different size is an error. */
  size?: number;
  /** Expected MD5 (hex); a different digest is an error. */
  md5?: string;
  onProgress?: (progress: DownloadProgress) => void;
}

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** A failure to say in the DatasetError's message, after "download of <url> …". */
class Failure extends Error {}

function request(url: URL): Promise<IncomingMessage> {
  const get = url.protocol === 'https:' ? httpsGet : url.protocol === 'http:' ? httpGet : undefined;
  if (!get) {
    return Promise.reject(
      new Failure(`failed: ${url.protocol} is not supported; expected an http: or https: URL`),
    );
  }
  return new Promise((resolve, reject) => {
    // identity: the bytes as stored, so that sizes and MD5s are those of the published file.
    get(url, { headers: { 'accept-encoding': 'identity' } }, resolve).on('error', (cause) =>
      reject(new Failure(`failed: ${cause.message}`, { cause })),
    );
  });
}

/** Reads a response that is not wanted to its end, so the connection is freed; errors are moot. */
function discard(response: IncomingMessage): void {
  response.on('error', () => undefined);
  response.resume();
}

/** GETs the URL, following redirects; resolves with the response to a 2xx. */
async function respond(url: string): Promise<IncomingMessage> {
  let current: URL;
  try {
    current = new URL(url);
  } catch (cause) {
    throw new Failure('failed: not a valid URL', { cause });
  }
  for (let hops = 0; ; hops++) {
    const response = await request(current);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (REDIRECTS.has(status) && location) {
      discard(response);
      if (hops === MAX_REDIRECTS) throw new Failure(`failed: more than ${MAX_REDIRECTS} redirects`);
      // A relative Location is relative to the URL that answered with it.
      current = new URL(location, current);
      continue;
    }
    if (status < 200 || status >= 300) {
      discard(response);
      throw new Failure(`failed: HTTP ${status} ${response.statusMessage ?? ''}`.trimEnd());
    }
    return response;
  }
}

/**
 * Downloads `url` to `dest`, all or nothing: the bytes go to a temporary file beside `dest`, are
 * checked against the expected size and MD5, and only then renamed into place. A failed or
 * mismatching download leaves no file behind, so it can never pass for a cached one.
 *
 * It uses node:http(s) rather than fetch, which inflates a response sent with
 * `Content-Encoding: gzip`: for a `.gz` file served that way (nginx's gzip_static, cloud storage
 * metadata) that would hand over other bytes than the published file's.
 */
export async function download(
  url: string,
  dest: string,
  options: DownloadOptions = {},
): Promise<void> {
  // A long destination name is cut, so that the temporary name stays under the 255-byte limit.
  const stem = Array.from(basename(dest)).slice(0, 60).join('');
  const tmp = join(dirname(dest), `.${stem}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  let writeError: Error | undefined;
  try {
    await makeDirs(dirname(dest)).catch((error: Error) => {
      writeError = error;
      throw error;
    });
    const response = await respond(url);
    const encoded = (response.headers['content-encoding'] ?? 'identity') !== 'identity';
    const header = response.headers['content-length'];
    const announced = header === undefined || encoded ? undefined : Number(header);
    const total = options.size ?? announced;
    const hash = createHash('md5');
    let received = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        received += chunk.length;
        options.onProgress?.({ url, file: dest, received, total });
        done(null, chunk);
      },
    });
    const out = createWriteStream(tmp);
    out.on('error', (error) => {
      writeError ??= error;
    });
    // pipeline settles once, with the first error of any stream, and destroys the others.
    await pipeline(response, meter, out);
    if (announced !== undefined && received !== announced) {
      throw new Failure(`is truncated: received ${received} of ${announced} bytes`);
    }
    if (options.size !== undefined && received !== options.size) {
      throw new Failure(`has ${received} bytes; the published file has ${options.size}`);
    }
    const digest = hash.digest('hex');
    if (options.md5 !== undefined && digest !== options.md5.toLowerCase()) {
      throw new Failure(`has MD5 ${digest}; expected ${options.md5} (corrupt or a different file)`);
    }
    await rename(tmp, dest).catch((error: Error) => {
      writeError = error;
      throw error;
    });
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => undefined);
    if (error instanceof Failure) {
      throw new DatasetError(`download of ${url} ${error.message}`, {
        source: url,
        cause: error.cause,
      });
    }
    const message = (error as Error).message;
    throw new DatasetError(
      writeError
        ? `download of ${url} failed: cannot write ${dest}: ${writeError.message}`
        : `download of ${url} failed: ${message}`,
      { source: url, cause: error },
    );
  }
}
