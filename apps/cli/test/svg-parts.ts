import { decodePng } from '@cnnlab/viz/node';

const decodeEntities = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, '&');

/** The text of every <text> element (of one class, when given), in document order. */
export function svgTexts(svg: string, className?: string): string[] {
  return [...svg.matchAll(/<text\b([^>]*)>([^<]*)<\/text>/g)]
    .filter((m) => className === undefined || (m[1] ?? '').includes(`class="${className}"`))
    .map((m) => decodeEntities(m[2] ?? '').trim());
}

/** Every embedded <image>: its drawn size and its PNG decoded. */
export function svgImages(svg: string) {
  return [
    ...svg.matchAll(
      /<image\b[^>]*\bwidth="(\d+)" height="(\d+)"[^>]*href="data:image\/png;base64,([^"]+)"/g,
    ),
  ].map((m) => ({
    width: Number(m[1]),
    height: Number(m[2]),
    png: decodePng(Buffer.from(m[3] ?? '', 'base64')),
  }));
}

/** The texts a Vega chart draws as data (the counts of a heatmap), not its axes or legend. */
export function svgMarkTexts(svg: string): string[] {
  return [...svg.matchAll(/<g class="mark-text role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/g)].flatMap(
    (m) => svgTexts(m[1] ?? ''),
  );
}
