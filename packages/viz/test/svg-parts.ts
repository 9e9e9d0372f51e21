// Test support only (not a test file, not exported by the package): an SVG parsed into a tree of
// elements, in document order, with the entities decoded, and pixel comparisons.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { RgbaImage } from '../src/image.js';
import { decodePng } from '../src/node/png.js';

export interface El {
  tag: string;
  attrs: Record<string, string>;
  /** The element's own text, entities decoded (&lt; is '<'). */
  text: string;
  children: El[];
  parent: El | undefined;
}

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

/** Parses `svg` (throwing unless it is well-formed XML) into its root <svg> element. */
export function parseSvg(svg: string): El {
  const valid = XMLValidator.validate(svg);
  if (valid !== true) throw new Error(`not well-formed XML: ${JSON.stringify(valid.err)}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    preserveOrder: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
  });
  const build = (nodes: Ordered[], parent: El | undefined): El[] => {
    const out: El[] = [];
    for (const node of nodes) {
      const tag = Object.keys(node).find((k) => k !== ':@');
      if (tag === undefined || tag === '#text') {
        if (parent && tag === '#text') parent.text += String(node['#text']);
        continue;
      }
      const el: El = { tag, attrs: { ...(node[':@'] ?? {}) }, text: '', children: [], parent };
      el.children = build(node[tag] as Ordered[], el);
      out.push(el);
    }
    return out;
  };
  const roots = build(parser.parse(svg) as Ordered[], undefined);
  const root = roots.find((r) => r.tag === 'svg');
  if (!root) throw new Error('no <svg> element');
  return root;
}

export const hasClass = (el: El, name: string) =>
  (el.attrs.class ?? '').split(/\s+/).includes(name);

/** Every element under `el` (not `el` itself) that passes `test`, in document order. */
export function findAll(el: El, test: (e: El) => boolean): El[] {
  const out: El[] = [];
  const walk = (node: El) => {
    for (const child of node.children) {
      if (test(child)) out.push(child);
      walk(child);
    }
  };
  walk(el);
  return out;
}

/** Elements `tag`, of class `className` when given. */
export const byTag = (el: El, tag: string, className?: string) =>
  findAll(el, (e) => e.tag === tag && (className === undefined || hasClass(e, className)));

/** The trimmed text of every <text> (of a class) under `el`. */
export const texts = (el: El, className?: string) =>
  byTag(el, 'text', className).map((t) => t.text.trim());

/** The pixels of an <image> whose href is a PNG data: URI. */
export function imagePixels(image: El): RgbaImage {
  const href = image.attrs.href ?? '';
  const prefix = 'data:image/png;base64,';
  if (!href.startsWith(prefix)) throw new Error(`not a PNG data URI: ${href.slice(0, 40)}`);
  return decodePng(Buffer.from(href.slice(prefix.length), 'base64'));
}

/** The RGBA of pixel (y, x). */
export function px(image: RgbaImage, y: number, x: number): number[] {
  const i = (y * image.shape[1] + x) * 4;
  return Array.from(image.data.subarray(i, i + 4));
}

/**
 * Where two images first differ, as 'shape' or '(y, x): [a] ≠ [b]'; undefined when they are the
 * same, shape and every byte. Cheaper and clearer than toEqual over thousands of bytes.
 */
export function firstDifference(a: RgbaImage, b: RgbaImage): string | undefined {
  if (a.shape.join() !== b.shape.join()) return `shape [${a.shape}] ≠ [${b.shape}]`;
  const w = a.shape[1];
  for (let i = 0; i < a.data.length; i++) {
    if (a.data[i] !== b.data[i]) {
      const p = Math.floor(i / 4);
      const y = Math.floor(p / w);
      const x = p % w;
      return `(${y}, ${x}): [${px(a, y, x)}] ≠ [${px(b, y, x)}]`;
    }
  }
  return undefined;
}

/** An RGBA image whose every pixel is `pixel(y, x)`: a reference built independently. */
export function makeImage(
  h: number,
  w: number,
  pixel: (y: number, x: number) => readonly number[],
): RgbaImage {
  const data = new Uint8ClampedArray(h * w * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set(pixel(y, x), (y * w + x) * 4);
  return { data, shape: [h, w, 4] };
}
