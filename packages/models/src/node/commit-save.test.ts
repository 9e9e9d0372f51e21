import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '@cnnlab/core';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { transpileForChild } from '../../test/child-module.js';
import { SAVED_WEIGHTS, tempDir, weightsFileOf } from '../../test/helpers.js';
import { cnnMnist } from '../cnn-mnist.js';
import { commitSave, SAVE_STEPS, type SaveParts, type SaveStep } from './commit-save.js';
import { MAX_MODEL_JSON_BYTES } from './folder-layout.js';
import { loadModel, saveModel } from './save-load.js';

const newDir = tempDir('commit');

/** A model's save as commitSave takes it, captured with a handler that writes nothing. */
async function partsOf(model: tfl.LayersModel): Promise<SaveParts> {
  let parts: SaveParts | undefined;
  await model.save({
    save: async (a) => {
      parts = {
        modelJson: {
          modelTopology: a.modelTopology as object,
          format: a.format,
          generatedBy: a.generatedBy,
          convertedBy: a.convertedBy,
        },
        weightSpecs: a.weightSpecs ?? [],
        weightData: new Uint8Array(tf.io.CompositeArrayBuffer.join(a.weightData ?? [])),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    },
  });
  return parts as SaveParts;
}

/** Every weight of a model, end to end, as bytes: two models match when these are equal. */
function weightBytes(model: tfl.LayersModel): Uint8Array {
  const parts = model
    .getWeights()
    .map((w) => new Uint8Array((w.dataSync() as Float32Array).buffer));
  return new Uint8Array(Buffer.concat(parts));
}

/** A PID no process has now: that of a child that has already ended. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid as number;
}

/** Which of the models the folder loads as: 'a', 'b', or a description of what is wrong. */
async function whichModel(dir: string, a: Uint8Array, b: Uint8Array): Promise<string> {
  const loaded = await loadModel(dir).catch((e: unknown) => e as Error);
  if (loaded instanceof Error) return `unloadable: ${loaded.message}`;
  const bytes = weightBytes(loaded);
  loaded.dispose();
  const same = (x: Uint8Array) => Buffer.from(x).equals(Buffer.from(bytes));
  return same(a) ? 'a' : same(b) ? 'b' : 'a mix of both';
}

// Two models of the same architecture: a folder pairing one's model.json with the other's
// weights would load without complaint, so only comparing the weights tells.
let a: tfl.LayersModel;
let b: tfl.LayersModel;
let bytesA: Uint8Array;
let bytesB: Uint8Array;
let childEntry = '';
let readerEntry = '';
let partsDir = '';

beforeAll(async () => {
  a = cnnMnist({ seed: 1 });
  b = cnnMnist({ seed: 2 });
  bytesA = weightBytes(a);
  bytesB = weightBytes(b);
  const work = newDir();
  const modules = join(work, 'modules');
  const save = transpileForChild('node/commit-save.ts', modules);
  const read = transpileForChild('node/read-model-folder.ts', modules);
  readerEntry = join(work, 'reader.mjs');
  writeFileSync(
    readerEntry,
    `import { createHash } from 'node:crypto';
import { readModelFolder } from ${JSON.stringify(read)};
const [jsonPath, ms] = process.argv.slice(2);
const end = Date.now() + Number(ms);
while (Date.now() < end) {
  try {
    const { weights } = await readModelFolder(jsonPath);
    process.stdout.write(createHash('sha256').update(new Uint8Array(weights[1])).digest('hex') + '\\n');
  } catch (error) {
    process.stdout.write('failed: ' + error.message + '\\n');
  }
}
`,
  );
  // The child saves model A or B (as the parts written here) with commitSave from the source.
  partsDir = join(work, 'parts');
  mkdirSync(partsDir);
  for (const [name, model] of [
    ['a', a],
    ['b', b],
  ] as const) {
    const { weightData, ...rest } = await partsOf(model);
    writeFileSync(join(partsDir, `${name}.json`), JSON.stringify(rest));
    writeFileSync(join(partsDir, `${name}.bin`), weightData as Uint8Array);
  }
  childEntry = join(work, 'child.mjs');
  writeFileSync(
    childEntry,
    `import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commitSave } from ${JSON.stringify(save)};
const [jsonPath, partsDir, killAt, ...order] = process.argv.slice(2);
const parts = (name) => ({
  ...JSON.parse(readFileSync(join(partsDir, name + '.json'), 'utf8')),
  weightData: new Uint8Array(readFileSync(join(partsDir, name + '.bin'))),
});
const onStep = (step) => {
  if (step === killAt) process.kill(process.pid, 'SIGKILL');
};
// One save per name given; 'loop' saves them round and round until killed.
const names = order[0] === 'loop' ? order.slice(1) : order;
do {
  for (const name of names) {
    await commitSave(jsonPath, parts(name), { onStep });
    process.stdout.write(name);
  }
} while (order[0] === 'loop');
`,
  );
});

function child(dir: string, killAt: string, ...order: string[]): ChildProcess {
  return spawn(
    process.execPath,
    [childEntry, join(dir, 'model.json'), partsDir, killAt, ...order],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
}

function exit(proc: ChildProcess): Promise<NodeJS.Signals | number | null> {
  return new Promise((resolve) => proc.on('exit', (code, signal) => resolve(signal ?? code)));
}

/** The folder after a later, ordinary save of model A: only model.json and one weights file. */
async function tidiedBySave(dir: string): Promise<string[]> {
  await saveModel(a, dir);
  return readdirSync(dir).sort();
}

describe('commitSave: one commit point', () => {
  it.each(SAVE_STEPS.map((step, i) => [step, i] as const))(
    'a save of B over A killed after "%s" leaves exactly one of them; the next save tidies up',
    async (step: SaveStep, index: number) => {
      const dir = newDir();
      await saveModel(a, dir);
      const proc = child(dir, step, 'b');
      expect(await exit(proc)).toBe('SIGKILL');
      const committed = index >= SAVE_STEPS.indexOf('committed');
      expect(await whichModel(dir, bytesA, bytesB)).toBe(committed ? 'b' : 'a');
      const left = readdirSync(dir);
      if (step !== 'done' && step !== 'cleaned') {
        expect(left.some((name) => name.startsWith('.cnnlab-save.'))).toBe(true);
      }
      // The dead process's scratch and the weights no model.json names are gone.
      expect(await tidiedBySave(dir)).toEqual(['model.json', weightsFileOf(dir)].sort());
      expect(await whichModel(dir, bytesA, bytesB)).toBe('a');
    },
  );

  it('SIGKILLed at random moments while saving A and B in turn, the folder is A or B', async () => {
    const dir = newDir();
    await saveModel(a, dir);
    const random = seededRandom(15);
    for (let round = 0; round < 8; round++) {
      const proc = child(dir, 'never', 'loop', 'b', 'a');
      // Wait for the first save to finish, then kill somewhere in the saves after it.
      await new Promise<void>((resolve) => proc.stdout?.once('data', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, random() * 40));
      proc.kill('SIGKILL');
      expect(await exit(proc)).toBe('SIGKILL');
      const which = await whichModel(dir, bytesA, bytesB);
      expect(['a', 'b']).toContain(which);
    }
    expect(await tidiedBySave(dir)).toEqual(['model.json', weightsFileOf(dir)].sort());
  });

  it('a save that fails part way leaves the old model and no scratch', async () => {
    const dir = newDir();
    await saveModel(a, dir);
    const before = readdirSync(dir).sort();
    const parts = await partsOf(b);
    for (const step of ['weights-written', 'weights-placed', 'json-written'] as const) {
      const failing = commitSave(join(dir, 'model.json'), parts, {
        onStep: (s) => {
          if (s === step) throw new Error(`disk full at ${s}`);
        },
      });
      await expect(failing).rejects.toThrow(
        `cannot save the model to ${join(dir, 'model.json')}: disk full at ${step}`,
      );
      expect(readdirSync(dir).sort()).toEqual(before);
      expect(await whichModel(dir, bytesA, bytesB)).toBe('a');
    }
  });

  it('refuses to write a model.json too big for loadModel to read, leaving the old model', async () => {
    const dir = newDir();
    await saveModel(a, dir);
    const before = readdirSync(dir).sort();
    const parts = await partsOf(b);
    parts.modelJson.userDefinedMetadata = { notes: 'x'.repeat(MAX_MODEL_JSON_BYTES) };
    await expect(commitSave(join(dir, 'model.json'), parts)).rejects.toThrow(
      /its model.json would hold \d+ bytes, more than the 33554432 loadModel reads/,
    );
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(await whichModel(dir, bytesA, bytesB)).toBe('a');
  });

  it('two saves into one folder at once leave one of the models, whole', async () => {
    const dir = newDir();
    await saveModel(a, dir);
    await Promise.all([saveModel(b, dir), saveModel(a, dir), saveModel(b, dir)]);
    expect(['a', 'b']).toContain(await whichModel(dir, bytesA, bytesB));
    expect(await tidiedBySave(dir)).toEqual(['model.json', weightsFileOf(dir)].sort());
  });

  it('a reader in another process racing saves reads A or B, whole, and never fails', async () => {
    const dir = newDir();
    await saveModel(a, dir);
    // The child reads the folder over and over for a while, printing a digest per read.
    const reader = spawn(process.execPath, [readerEntry, join(dir, 'model.json'), '1500'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    reader.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    let running = true;
    const done = exit(reader).then((code) => {
      running = false;
      return code;
    });
    let saves = 0;
    while (running) await saveModel(saves++ % 2 ? a : b, dir);
    expect(await done).toBe(0);
    const digest = (name: string) =>
      createHash('sha256')
        .update(readFileSync(join(partsDir, `${name}.bin`)))
        .digest('hex');
    const reads = output.trim().split('\n');
    expect(saves).toBeGreaterThan(2);
    expect(reads.length).toBeGreaterThan(2);
    for (const read of reads) expect([digest('a'), digest('b')]).toContain(read);
  });

  it("removes dead processes' scratch of this and earlier versions, and keeps live ones'", async () => {
    const dir = newDir();
    await saveModel(a, dir);
    const dead = deadPid();
    const live = process.ppid;
    const stale = [
      `.cnnlab-save.${dead}.0badc0de.weights`,
      `.cnnlab-save.${dead}.0badc0de.json`,
      `.saving-${dead}`,
      `.weights.bin.${dead}.0badc0de.tmp`,
    ];
    const kept = [`.cnnlab-save.${live}.0badc0de.json`, `.saving-${live}`, 'notes.txt'];
    for (const name of [...stale, ...kept]) {
      if (name.startsWith('.saving-')) {
        mkdirSync(join(dir, name));
        writeFileSync(join(dir, name, 'model.json'), '{}');
      } else writeFileSync(join(dir, name), 'x');
    }
    // A weights file left by a save killed before its commit: no model.json names it.
    writeFileSync(join(dir, 'weights.0123456789abcdef.bin'), 'orphan');
    const names = await tidiedBySave(dir);
    expect(names).toEqual(['model.json', weightsFileOf(dir), ...kept].sort());
    expect(weightsFileOf(dir)).toMatch(SAVED_WEIGHTS);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('x');
  });

  it('never removes files outside the folder that an old model.json named', async () => {
    const parent = newDir();
    const dir = join(parent, 'model');
    await saveModel(a, dir);
    const outside = [join(parent, 'beside.bin'), join(newDir(), 'elsewhere.bin')];
    for (const file of outside) writeFileSync(file, 'keep me');
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    json.weightsManifest[0].paths = ['../beside.bin', outside[1]];
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    expect(await tidiedBySave(dir)).toEqual(['model.json', weightsFileOf(dir)].sort());
    for (const file of outside) expect(readFileSync(file, 'utf8')).toBe('keep me');
  });
});
