import { describe, expect, it } from 'vitest';
import {
  isTransientCode,
  isTransientStatus,
  MAX_RETRY_DELAY_MS,
  parseRetryAfter,
  retryDelay,
} from './retry-policy.js';

describe('the retry policy', () => {
  it('retries what curl --retry retries, and connection faults', () => {
    expect([408, 429, 500, 502, 503, 504].every(isTransientStatus)).toBe(true);
    expect([400, 401, 403, 404, 410, 501, 505].some(isTransientStatus)).toBe(false);
    expect(['ECONNRESET', 'ECONNREFUSED', 'EAI_AGAIN'].every(isTransientCode)).toBe(true);
    expect([undefined, 'ENOTFOUND', 'ENOSPC', 'EACCES'].some(isTransientCode)).toBe(false);
  });

  it('doubles the pause, honours a longer Retry-After, and caps both', () => {
    expect([1, 2, 3, 4].map((n) => retryDelay(n, 1000))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelay(1, 1000, 5000)).toBe(5000);
    expect(retryDelay(20, 1000)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelay(1, 10, 3_600_000)).toBe(MAX_RETRY_DELAY_MS);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2024-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 31 Dec 2023 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
