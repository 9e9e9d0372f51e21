import { spawnSync } from 'node:child_process';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive, scratchOwner, scratchPath } from './scratch.js';

describe('scratch names', () => {
  it('name this process, and are recognised with those of earlier versions', () => {
    const name = basename(scratchPath('/x', 'json'));
    expect(name).toMatch(new RegExp(`^\\.cnnlab-save\\.${process.pid}\\.[0-9a-f]{8}\\.json$`));
    expect(scratchOwner(name)).toBe(process.pid);
    expect(scratchOwner('.saving-42')).toBe(42);
    expect(scratchOwner('.model.json.42.0badc0de.tmp')).toBe(42);
    for (const other of ['model.json', 'weights.bin', '.saving-', 'notes.42.tmp', '.git']) {
      expect(scratchOwner(other), other).toBeUndefined();
    }
  });

  it('tells a live process from one that has ended', () => {
    expect(isAlive(process.pid)).toBe(true);
    expect(isAlive(spawnSync(process.execPath, ['-e', '']).pid as number)).toBe(false);
    expect(isAlive(0)).toBe(false);
    expect(isAlive(-1)).toBe(false);
  });
});
