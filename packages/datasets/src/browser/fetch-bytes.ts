import { DatasetError } from '../errors.js';

/** Fetches a URL into bytes, turning HTTP and network failures into a DatasetError naming the URL. */
export async function fetchBytes(
  url: string,
  fetchImpl: typeof fetch = fetch,
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetchImpl(url);
  } catch (cause) {
    throw new DatasetError(`download of ${url} failed: ${(cause as Error).message}`, {
      source: url,
      cause,
    });
  }
  if (!response.ok) {
    throw new DatasetError(
      `download of ${url} failed: HTTP ${response.status} ${response.statusText}`,
      {
        source: url,
      },
    );
  }
  return new Uint8Array(await response.arrayBuffer());
}
