/**
 * Section 9's pictures, as Teachable Machine keeps them: named classes, each a list of square
 * RGB pictures (from the camera or a folder), held at one capture size and resized for training.
 * Pure: no DOM, so the split and the checks are the same wherever they run.
 */
import { type LabeledImages, permutation, resizeImage } from '@cnnlab/datasets';

/** Side of a stored picture: what the zip holds; training resizes it to the network's size. */
export const CAPTURE_SIZE = 96;
/** Bytes of one stored picture (RGB). */
export const PICTURE_BYTES = CAPTURE_SIZE * CAPTURE_SIZE * 3;
/** At most this many pictures a class, so that a held-down button cannot fill the memory. */
export const MAX_PICTURES = 500;
/** At most this many classes. */
export const MAX_CLASSES = 10;
/** A class needs this many pictures before training: some to learn from, one at least held out. */
export const MIN_PICTURES = 5;

export interface RecordedClass {
  name: string;
  /** `CAPTURE_SIZE`² × 3 bytes each, row-major RGB. */
  pictures: Uint8Array[];
}

/** The held-out and training pictures at the network's size, and how many of each class went where. */
export interface PictureSplit {
  train: LabeledImages;
  test: LabeledImages;
  classNames: string[];
  trainCounts: number[];
  testCounts: number[];
}

/** Why `name` cannot be a class (and a folder of the zip), or null. */
export function badClassName(name: string): string | null {
  if (name.trim() === '') return 'a class needs a name';
  if (name !== name.trim()) return `"${name}" starts or ends with a space`;
  if (/[/\\:*?"<>|]/.test(name) || name === '.' || name === '..')
    return `"${name}" cannot be a folder name (no / \\ : * ? " < > |)`;
  return null;
}

export class RecordedClasses {
  readonly classes: RecordedClass[] = [];

  constructor(names: readonly string[] = []) {
    for (const name of names) this.add(name);
  }

  /** Adds an empty class; returns its index. */
  add(name: string): number {
    if (this.classes.length >= MAX_CLASSES)
      throw new Error(`at most ${MAX_CLASSES} classes; remove one first`);
    this.classes.push({ name, pictures: [] });
    return this.classes.length - 1;
  }

  /** The class named `name`, added if there is none. */
  indexOf(name: string): number {
    const i = this.classes.findIndex((c) => c.name === name);
    return i >= 0 ? i : this.add(name);
  }

  remove(index: number): void {
    this.classes.splice(index, 1);
  }

  /** Stores one picture; false (and nothing stored) when the class is full. */
  addPicture(index: number, rgb: Uint8Array): boolean {
    if (rgb.length !== PICTURE_BYTES)
      throw new Error(
        `a picture is ${PICTURE_BYTES} bytes (${CAPTURE_SIZE}² RGB), got ${rgb.length}`,
      );
    const { pictures } = this.classes[index];
    if (pictures.length >= MAX_PICTURES) return false;
    pictures.push(rgb);
    return true;
  }

  get counts(): number[] {
    return this.classes.map((c) => c.pictures.length);
  }

  /** What stands in the way of training (or of a zip, with `min` 1), or null when nothing does. */
  problem(min = MIN_PICTURES): string | null {
    if (this.classes.length < 2) return 'name at least two classes';
    const seen = new Set<string>();
    for (const { name, pictures } of this.classes) {
      const bad = badClassName(name);
      if (bad) return bad;
      if (seen.has(name)) return `two classes are called "${name}"`;
      seen.add(name);
      if (pictures.length < min)
        return `"${name}" has ${pictures.length} picture${pictures.length === 1 ? '' : 's'}; record or upload at least ${min}`;
    }
    return null;
  }

  /**
   * A seeded `holdOut` part of each class (at least one picture) set aside for testing, the rest
   * to train on, both resized to `size`×`size`.
   */
  split(size: number, holdOut = 0.2, seed = 1): PictureSplit {
    const problem = this.problem();
    if (problem) throw new Error(problem);
    const train: { picture: Uint8Array; label: number }[] = [];
    const test: { picture: Uint8Array; label: number }[] = [];
    const trainCounts: number[] = [];
    const testCounts: number[] = [];
    this.classes.forEach(({ pictures }, label) => {
      const order = permutation(pictures.length, (seed + label * 7919) >>> 0);
      const held = Math.max(1, Math.round(pictures.length * holdOut));
      order.forEach((i, k) => {
        (k < held ? test : train).push({ picture: pictures[i], label });
      });
      testCounts.push(held);
      trainCounts.push(pictures.length - held);
    });
    return {
      train: this.stack(train, size),
      test: this.stack(test, size),
      classNames: this.classes.map((c) => c.name),
      trainCounts,
      testCounts,
    };
  }

  private stack(items: { picture: Uint8Array; label: number }[], size: number): LabeledImages {
    const each = size * size * 3;
    const data = new Uint8Array(items.length * each);
    items.forEach(({ picture }, i) => {
      data.set(resizeTo(picture, size), i * each);
    });
    return {
      images: { data, shape: [items.length, size, size, 3] },
      labels: Uint8Array.from(items, (item) => item.label),
    };
  }
}

/** One stored picture at the network's size (TF's bilinear resize, as the folder reader uses). */
export function resizeTo(picture: Uint8Array, size: number): Uint8Array {
  if (size === CAPTURE_SIZE) return picture;
  return resizeImage({ data: picture, shape: [CAPTURE_SIZE, CAPTURE_SIZE, 3] }, [size, size])
    .data as Uint8Array;
}
