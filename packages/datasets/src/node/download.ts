import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DatasetError } from '../errors.js';

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
  fetch?: typeof fetch;
  onProgress?: (progress: DownloadProgress) => void;
}

/**
 * Downloads `url` to `dest`, all or nothing: the bytes go to a temporary file beside `dest`, are
 * checked against the expected size and MD5, and only then renamed into place. A failed or
 * mismatching download leaves no file behind, so it can never pass for a cached one.
 */
export async function download(
  url: string,
  dest: string,
  options: DownloadOptions = {},
): Promise<void> {
  const fetchImpl = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await fetchImpl(url);
  } catch (cause) {
    throw new DatasetError(`download of ${url} failed: ${(cause as Error).message}`, {
      source: url,
      cause,
    });
  }
  if (!response.ok || !response.body) {
    throw new DatasetError(
      `download of ${url} failed: HTTP ${response.status} ${response.statusText}`,
      {
        source: url,
      },
    );
  }
  const header = response.headers.get('content-length');
  const announced = header === null ? undefined : Number(header);
  const total = options.size ?? announced;
  await mkdir(dirname(dest), { recursive: true });
  const tmp = join(
    dirname(dest),
    `.${basename(dest)}.${process.pid}.${randomBytes(4).toString('hex')}.part`,
  );
  const hash = createHash('md5');
  let received = 0;
  try {
    const out = createWriteStream(tmp);
    const closed = new Promise<void>((resolve, reject) => {
      out.on('close', resolve);
      out.on('error', reject);
    });
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        hash.update(chunk);
        received += chunk.length;
        if (!out.write(chunk))
          await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        options.onProgress?.({ url, file: dest, received, total });
      }
    } finally {
      out.end();
      await closed;
    }
    if (announced !== undefined && received !== announced) {
      throw new DatasetError(
        `download of ${url} is truncated: received ${received} of ${announced} bytes`,
        { source: url },
      );
    }
    if (options.size !== undefined && received !== options.size) {
      throw new DatasetError(
        `download of ${url} has ${received} bytes; the published file has ${options.size}`,
        { source: url },
      );
    }
    const digest = hash.digest('hex');
    if (options.md5 !== undefined && digest !== options.md5.toLowerCase()) {
      throw new DatasetError(
        `download of ${url} has MD5 ${digest}; expected ${options.md5} (corrupt or a different file)`,
        { source: url },
      );
    }
    await rename(tmp, dest);
  } catch (error) {
    await rm(tmp, { force: true });
    if (error instanceof DatasetError) throw error;
    throw new DatasetError(`download of ${url} to ${dest} failed: ${(error as Error).message}`, {
      source: url,
      cause: error,
    });
  }
}
