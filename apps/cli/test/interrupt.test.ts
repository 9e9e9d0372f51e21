import { afterEach, describe, expect, it, vi } from 'vitest';
import { atForcedExit, InterruptedError, watchSignals } from '../src/interrupt.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** A watcher whose exit is recorded instead of ending the test's process. */
function watch() {
  const exits: number[] = [];
  const lines: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  const interrupt = watchSignals((code) => exits.push(code));
  return { interrupt, exits, lines };
}

describe('watchSignals', () => {
  it('ends a command that does not stop gracefully at the first signal, after its cleanups', () => {
    const before = process.listenerCount('SIGINT');
    const { interrupt, exits, lines } = watch();
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    const cleaned: string[] = [];
    atForcedExit(() => cleaned.push('out'));
    const forget = atForcedExit(() => cleaned.push('forgotten'));
    forget();
    process.emit('SIGINT', 'SIGINT');
    expect(cleaned).toEqual(['out']);
    expect(exits).toEqual([130]);
    expect(lines).toEqual(['cnnlab: interrupted by SIGINT\n']);
    interrupt.dispose();
    expect(process.listenerCount('SIGINT')).toBe(before);
    // Outside a watch, registering does nothing.
    atForcedExit(() => cleaned.push('late'))();
  });

  it('lets a graceful command wind down at the first signal, and ends it at the second', () => {
    const { interrupt, exits, lines } = watch();
    interrupt.stopGracefully();
    expect(() => interrupt.check()).not.toThrow();
    process.emit('SIGTERM', 'SIGTERM');
    expect(exits).toEqual([]);
    expect(interrupt.caught).toBe('SIGTERM');
    expect(interrupt.signal.aborted).toBe(true);
    expect(interrupt.signal.reason).toBeInstanceOf(InterruptedError);
    expect(() => interrupt.check('nothing was saved')).toThrow(
      new InterruptedError('SIGTERM', 'nothing was saved'),
    );
    try {
      interrupt.check();
    } catch (error) {
      expect((error as InterruptedError).exitCode).toBe(143);
      expect((error as Error).message).toBe('interrupted by SIGTERM');
    }
    process.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([130]);
    expect(lines).toEqual(['cnnlab: interrupted by SIGTERM, then SIGINT: stopped at once\n']);
    interrupt.dispose();
  });
});
