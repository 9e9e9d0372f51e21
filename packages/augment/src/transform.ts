/**
 * The parameters of one random transformation, with Keras's keys in camelCase. Angles are in
 * degrees; tx moves along rows (height) and ty along columns (width): each output pixel reads
 * the input at its position plus (tx, ty), so the content moves by (−tx, −ty).
 */
export interface TransformParams {
  theta: number;
  tx: number;
  ty: number;
  shear: number;
  zx: number;
  zy: number;
  flipHorizontal: boolean;
  flipVertical: boolean;
  channelShiftIntensity: number | null;
  brightness: number | null;
}

export const IDENTITY: Readonly<TransformParams> = {
  theta: 0,
  tx: 0,
  ty: 0,
  shear: 0,
  zx: 1,
  zy: 1,
  flipHorizontal: false,
  flipVertical: false,
  channelShiftIntensity: null,
  brightness: null,
};

/** Where output pixel (i, j) reads the input: row = a00·i + a01·j + b0, col = a10·i + a11·j + b1. */
export interface AffineMap {
  a00: number;
  a01: number;
  a10: number;
  a11: number;
  b0: number;
  b1: number;
}

type M3 = number[];

function mul(a: M3, b: M3): M3 {
  const out = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      for (let k = 0; k < 3; k++) out[r * 3 + c] += a[r * 3 + k] * b[k * 3 + c];
    }
  }
  return out;
}

/**
 * Keras's transformation as one map: rotation · shift · shear · zoom (in that product order, as
 * Keras multiplies them), about the image centre ((h − 1)/2, (w − 1)/2), with the flips Keras
 * applies afterwards folded in, so the image is sampled once.
 */
export function affineMap(params: Partial<TransformParams>, h: number, w: number): AffineMap {
  const p = { ...IDENTITY, ...params };
  let m: M3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  if (p.theta !== 0) {
    const t = (p.theta * Math.PI) / 180;
    m = mul(m, [Math.cos(t), -Math.sin(t), 0, Math.sin(t), Math.cos(t), 0, 0, 0, 1]);
  }
  if (p.tx !== 0 || p.ty !== 0) m = mul(m, [1, 0, p.tx, 0, 1, p.ty, 0, 0, 1]);
  if (p.shear !== 0) {
    const s = (p.shear * Math.PI) / 180;
    m = mul(m, [1, -Math.sin(s), 0, 0, Math.cos(s), 0, 0, 0, 1]);
  }
  if (p.zx !== 1 || p.zy !== 1) m = mul(m, [p.zx, 0, 0, 0, p.zy, 0, 0, 0, 1]);
  const oy = (h - 1) / 2;
  const ox = (w - 1) / 2;
  const map: AffineMap = {
    a00: m[0],
    a01: m[1],
    a10: m[3],
    a11: m[4],
    b0: m[2] + oy - m[0] * oy - m[1] * ox,
    b1: m[5] + ox - m[3] * oy - m[4] * ox,
  };
  if (p.flipHorizontal) {
    map.b0 += map.a01 * (w - 1);
    map.b1 += map.a11 * (w - 1);
    map.a01 = -map.a01;
    map.a11 = -map.a11;
  }
  if (p.flipVertical) {
    map.b0 += map.a00 * (h - 1);
    map.b1 += map.a10 * (h - 1);
    map.a00 = -map.a00;
    map.a10 = -map.a10;
  }
  return map;
}

export function isIdentity(map: AffineMap): boolean {
  return (
    map.a00 === 1 && map.a01 === 0 && map.a10 === 0 && map.a11 === 1 && map.b0 === 0 && map.b1 === 0
  );
}
