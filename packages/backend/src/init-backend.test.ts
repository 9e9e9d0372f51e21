import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendError } from './errors.js';
import { type Candidate, chooseBackend } from './init-backend.js';
import { initBackend } from './node.js';

const failing = (id: string, why: string): Candidate => ({
  id,
  backend: id,
  prepare: async () => {
    throw new Error(`${why}\nsecond line is dropped`);
  },
});
const cpu: Candidate = { id: 'cpu', backend: 'cpu', prepare: async () => 'plain cpu' };

describe('chooseBackend', () => {
  it('takes the first candidate that works and says why the others were skipped', async () => {
    const choice = await chooseBackend([failing('fast', 'not installed'), cpu], {}, undefined);
    expect(choice.id).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(choice.reason).toBe('plain cpu (skipped fast: not installed)');
    expect(choice.tried).toEqual([
      { id: 'fast', ok: false, reason: 'not installed' },
      { id: 'cpu', ok: true, reason: 'plain cpu' },
    ]);
  });

  it('tries preferred ids first', async () => {
    const other: Candidate = { id: 'other', backend: 'cpu', prepare: async () => 'other' };
    const choice = await chooseBackend([cpu, other], { prefer: 'other' }, undefined);
    expect(choice.id).toBe('other');
    expect(choice.reason).toBe('other (preferred by prefer)');
  });

  it('a forced backend that fails is an error naming it and why', async () => {
    await expect(chooseBackend([failing('fast', 'no library'), cpu], {}, 'fast')).rejects.toThrow(
      'CNNLAB_BACKEND=fast could not be used: fast: no library',
    );
    await expect(chooseBackend([cpu], {}, 'turbo')).rejects.toThrow(BackendError);
    await expect(chooseBackend([cpu], { prefer: ['gpu'] }, undefined)).rejects.toThrow(
      'prefer: "gpu" names an unknown backend \'gpu\'; expected one of cpu',
    );
  });

  it('says who asked: a preferred id, a forced one, the variable', async () => {
    const other: Candidate = { id: 'other', backend: 'cpu', prepare: async () => 'other' };
    const preferred = await chooseBackend(
      [cpu, other],
      { prefer: 'other', askedBy: '--prefer' },
      undefined,
    );
    expect(preferred.reason).toBe('other (preferred by --prefer)');
    const forced = await chooseBackend(
      [cpu, other],
      { force: 'other', askedBy: '--backend other' },
      undefined,
    );
    expect(forced.reason).toBe('other (forced by --backend other)');
    await expect(
      chooseBackend(
        [failing('fast', 'no library'), cpu],
        { force: 'fast', askedBy: '--backend fast' },
        undefined,
      ),
    ).rejects.toThrow('--backend fast could not be used: fast: no library');
    // The variable wins over the option, and the reason says so.
    const env = await chooseBackend([cpu, other], { force: 'cpu' }, 'other');
    expect(env.reason).toBe('other (forced by CNNLAB_BACKEND=other)');
  });

  it('warns once, with the reasons, when a fallback that warns is taken unasked', async () => {
    const slow: Candidate = { ...cpu, id: 'slow', warning: 'only the slow one is left' };
    const lines: string[] = [];
    const warn = (line: string) => lines.push(line);
    await chooseBackend([failing('fast', 'not installed'), slow], { warn }, undefined);
    await chooseBackend([failing('fast', 'not installed'), slow], { warn }, undefined);
    expect(lines).toEqual(['only the slow one is left (skipped fast: not installed)']);
  });

  it('does not warn about a fallback that was asked for', async () => {
    const slow: Candidate = { ...cpu, id: 'slow', warning: 'only the slow one is left' };
    const lines: string[] = [];
    await chooseBackend([slow], { prefer: 'slow', warn: (l) => lines.push(l) }, undefined);
    expect(lines).toEqual([]);
  });

  it('logs the choice once per process', async () => {
    const lines: string[] = [];
    await chooseBackend([cpu], { log: (l) => lines.push(l) }, undefined);
    await chooseBackend([cpu], { log: (l) => lines.push(l) }, undefined);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^backend: cpu — plain cpu/);
  });
});

describe('initBackend in Node', () => {
  afterEach(() => {
    delete process.env.CNNLAB_BACKEND;
  });

  it('skips the absent tfjs-node packages with a reason and takes the fastest available', async () => {
    const choice = await initBackend();
    const first = choice.tried[0];
    expect(first.id).toBe('tensorflow-gpu');
    expect(first.ok).toBe(false);
    expect(first.reason).toBe('@tensorflow/tfjs-node-gpu is not installed');
    // The workspace links the prebuilt platform package for this machine, so native wins.
    expect(choice.id).toBe('native');
    expect(tf.getBackend()).toBe('cnnlab-native');
  });

  it('CNNLAB_BACKEND forces one', async () => {
    process.env.CNNLAB_BACKEND = 'wasm';
    const choice = await initBackend();
    expect(choice.id).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(choice.reason).toMatch(/forced by CNNLAB_BACKEND/);
    process.env.CNNLAB_BACKEND = 'tensorflow';
    await expect(initBackend()).rejects.toThrow(
      'CNNLAB_BACKEND=tensorflow could not be used: tensorflow: @tensorflow/tfjs-node is not installed',
    );
  });
});
