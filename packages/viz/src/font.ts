// A 3×5 pixel font for the digits, so counts can be drawn into a PNG without a text renderer.
// Each glyph is five rows of three bits, most significant bit on the left.
const GLYPHS: Record<string, readonly number[]> = {
  '0': [0b111, 0b101, 0b101, 0b101, 0b111],
  '1': [0b010, 0b110, 0b010, 0b010, 0b111],
  '2': [0b111, 0b001, 0b111, 0b100, 0b111],
  '3': [0b111, 0b001, 0b111, 0b001, 0b111],
  '4': [0b101, 0b101, 0b111, 0b001, 0b001],
  '5': [0b111, 0b100, 0b111, 0b001, 0b111],
  '6': [0b111, 0b100, 0b111, 0b101, 0b111],
  '7': [0b111, 0b001, 0b010, 0b010, 0b010],
  '8': [0b111, 0b101, 0b111, 0b101, 0b111],
  '9': [0b111, 0b101, 0b111, 0b001, 0b111],
};

/** Width in pixels of `text` drawn at `size` (one glyph pixel = size × size). */
export function textWidth(text: string, size: number): number {
  return text.length === 0 ? 0 : (text.length * 4 - 1) * size;
}

/** Draws digits into an RGBA buffer of the given width, top-left at (x, y); skips other chars. */
export function drawDigits(
  out: Uint8ClampedArray,
  width: number,
  text: string,
  x: number,
  y: number,
  size: number,
  color: readonly number[],
): void {
  for (const [n, ch] of [...text].entries()) {
    const glyph = GLYPHS[ch];
    if (!glyph) continue;
    for (let gy = 0; gy < 5; gy++) {
      for (let gx = 0; gx < 3; gx++) {
        if (!((glyph[gy] >> (2 - gx)) & 1)) continue;
        for (let dy = 0; dy < size; dy++) {
          for (let dx = 0; dx < size; dx++) {
            const px = x + (n * 4 + gx) * size + dx;
            const py = y + gy * size + dy;
            out.set(color, (py * width + px) * 4);
          }
        }
      }
    }
  }
}
