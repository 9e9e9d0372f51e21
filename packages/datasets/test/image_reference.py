"""Independent fixtures and expectations for cnnlab's image-folder reader.

Usage: image_reference.py JOB.json OUT_DIR

JOB.json holds
  "write": pictures to write under OUT_DIR, by Pillow (or, for what Pillow cannot write:
           interlaced and 16-bit PNGs, broken files, by hand with zlib), and
  "refs":  expectations to compute: Pillow's decode of a written file in a colour mode, resized
           (optionally) by a numpy transcription of TensorFlow's bilinear kernel (half-pixel
           centres, no antialias, float32), after Keras's crop or pad geometry when asked.
Each ref's bytes go to OUT_DIR/<out>; refs.json lists their shapes.
"""

import io
import json
import os
import struct
import sys
import warnings
import zlib

import numpy as np
from PIL import Image

# Pillow advises converting palette pictures with byte transparency to RGBA: that is the test.
warnings.filterwarnings("ignore", message="Palette images with Transparency")


def pattern(kind, h, w, c, seed):
    rng = np.random.default_rng(seed)
    if kind == "noise":
        return rng.integers(0, 256, (h, w, c), dtype=np.uint8)
    # Smooth: what photographs mostly are, and what JPEG keeps well.
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    phase = rng.uniform(0, 6.28, c)
    out = np.stack(
        [127.5 + 120 * np.sin(x / (9 + 3 * k) + phase[k]) * np.cos(y / (11 + 2 * k)) for k in range(c)],
        axis=-1,
    )
    return np.clip(np.round(out), 0, 255).astype(np.uint8)


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
SAMPLES = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def filtered(rows, bpp, filters):
    """Scanlines with PNG filters applied, cycling through `filters` row by row."""
    out = bytearray()
    prev = bytes(len(rows[0])) if rows else b""
    for r, row in enumerate(rows):
        f = filters[r % len(filters)]
        line = bytearray(len(row))
        for i, v in enumerate(row):
            a = row[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 0:
                pred = 0
            elif f == 1:
                pred = a
            elif f == 2:
                pred = b
            elif f == 3:
                pred = (a + b) // 2
            else:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            line[i] = (v - pred) & 0xFF
        out.append(f)
        out += line
        prev = row
    return bytes(out)


def pack_rows(samples, depth):
    """Rows of samples (h, w*s) as PNG stores them at `depth` bits, big-endian for 16."""
    rows = []
    for row in samples:
        if depth == 16:
            rows.append(b"".join(struct.pack(">H", int(v)) for v in row))
        elif depth == 8:
            rows.append(bytes(int(v) for v in row))
        else:
            bits = "".join(format(int(v), f"0{depth}b") for v in row)
            bits += "0" * (-len(bits) % 8)
            rows.append(bytes(int(bits[i : i + 8], 2) for i in range(0, len(bits), 8)))
    return rows


def raw_png(spec):
    """A PNG written byte by byte: any colour type, depth, Adam7, palette, tRNS, filters."""
    w, h, ct, depth = spec["width"], spec["height"], spec["colorType"], spec["bitDepth"]
    s = SAMPLES[ct]
    rng = np.random.default_rng(spec.get("seed", 0))
    top = (1 << depth) - 1
    if ct == 3:
        # indexRange past paletteSize makes indices the palette does not hold.
        samples = rng.integers(0, spec.get("indexRange", spec.get("paletteSize", top + 1)), (h, w * s))
    else:
        samples = rng.integers(0, top + 1, (h, w * s))
    bpp = max(1, s * depth // 8)
    filters = spec.get("filters", [0, 1, 2, 3, 4])
    data = b""
    passes = ADAM7 if spec.get("interlace") else [(0, 0, 1, 1)]
    for x0, y0, dx, dy in passes:
        sub = samples.reshape(h, w, s)[y0::dy, x0::dx]
        if sub.size == 0:
            continue
        data += filtered(pack_rows(sub.reshape(sub.shape[0], -1), depth), bpp, filters)
    ihdr = struct.pack(">IIBBBBB", w, h, depth, ct, 0, 0, 1 if spec.get("interlace") else 0)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
    if ct == 3:
        n = spec.get("paletteSize", top + 1)
        pal = rng.integers(0, 256, (n, 3), dtype=np.uint8)
        out += chunk(b"PLTE", pal.tobytes())
    if "tRNS" in spec:
        t = spec["tRNS"]
        out += chunk(b"tRNS", bytes(t) if ct == 3 else b"".join(struct.pack(">H", v) for v in t))
    out += chunk(b"IDAT", zlib.compress(data, 9)) + chunk(b"IEND", b"")
    return out


def bomb_png(spec):
    """A valid-looking PNG whose image data inflates to `mebibytes` MiB of zeros, whatever its
    header needs: one sync-flushed deflate piece of a MiB, repeated (each piece stands alone)."""
    w, h = spec["width"], spec["height"]
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = co.compress(bytes(1 << 20)) + co.flush(zlib.Z_SYNC_FLUSH)
    idat = b"\x78\xda" + piece * spec["mebibytes"] + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def claimed_png(spec):
    """A tiny PNG whose header claims a huge picture."""
    ihdr = struct.pack(">IIBBBBB", spec["width"], spec["height"], 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 16)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def pil_picture(spec):
    w, h, mode = spec["width"], spec["height"], spec["mode"]
    seed = spec.get("seed", 0)
    kind = spec.get("pattern", "smooth")
    if mode in ("L", "1"):
        img = Image.fromarray(pattern(kind, h, w, 1, seed)[:, :, 0], "L")
        if mode == "1":
            img = img.convert("1")
    elif mode == "LA":
        img = Image.fromarray(pattern(kind, h, w, 2, seed), "LA")
    elif mode == "P":
        img = Image.fromarray(pattern(kind, h, w, 3, seed), "RGB").quantize(spec.get("colors", 16))
    elif mode == "I;16":
        arr = pattern(kind, h, w, 1, seed)[:, :, 0].astype(np.uint16) * 257 + 3
        img = Image.fromarray(arr, "I;16")
    else:
        img = Image.fromarray(pattern(kind, h, w, len(mode), seed), mode)
    fmt = spec.get("format", "PNG")
    opts = {}
    if fmt == "JPEG":
        opts = {"quality": spec.get("quality", 95), "subsampling": spec.get("subsampling", 0)}
        if spec.get("progressive"):
            opts["progressive"] = True
    if "transparency" in spec:
        t = spec["transparency"]
        opts["transparency"] = tuple(t) if isinstance(t, list) else t
    if "bits" in spec:
        opts["bits"] = spec["bits"]
    buf = io.BytesIO()
    img.save(buf, fmt, **opts)
    return buf.getvalue()


def write(spec, root):
    kind = spec.get("kind", "pil")
    if kind == "raw-png":
        data = raw_png(spec)
    elif kind == "bomb-png":
        data = bomb_png(spec)
    elif kind == "claimed-png":
        data = claimed_png(spec)
    elif kind == "bytes":
        data = bytes.fromhex(spec["hex"])
    else:
        data = pil_picture(spec)
    if "claimSize" in spec:
        # Patch a JPEG's frame header (SOF0/1/2) to claim another height and width.
        i = 2
        while True:
            marker, length = data[i + 1], struct.unpack(">H", data[i + 2 : i + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2):
                hh, ww = spec["claimSize"]
                data = data[: i + 5] + struct.pack(">HH", hh, ww) + data[i + 9 :]
                break
            i += 2 + length
    if "truncate" in spec:
        data = data[: spec["truncate"]]
    if "flip" in spec:
        b = bytearray(data)
        b[spec["flip"] % len(b)] ^= 0xFF
        data = bytes(b)
    path = f"{root}/{spec['path']}"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


# --- the reference pipeline -------------------------------------------------------------------

f32 = np.float32


def decoded(path, color_mode):
    """Pillow's decode in a colour mode; 16-bit grey keeps its high byte (Pillow would clip)."""
    img = Image.open(path)
    img.load()
    if img.mode in ("I;16", "I;16B", "I"):
        img = Image.fromarray((np.asarray(img).astype(np.uint32) >> 8).astype(np.uint8), "L")
    target = {"grayscale": "L", "rgb": "RGB", "rgba": "RGBA"}[color_mode]
    arr = np.asarray(img.convert(target))
    return arr.reshape(arr.shape[0], arr.shape[1], -1)


def tf_axis(out_size, in_size):
    scale = f32(in_size) / f32(out_size)
    at = (np.arange(out_size, dtype=f32) + f32(0.5)) * scale - f32(0.5)
    lo = np.floor(at)
    lerp = (at - lo).astype(f32)
    return np.maximum(lo, 0).astype(int), np.minimum(np.ceil(at), in_size - 1).astype(int), lerp


def tf_bilinear(img, out_h, out_w):
    """TensorFlow's ResizeBilinear, half_pixel_centers=True, as float32 (what Keras yields)."""
    a = img.astype(f32)
    y0, y1, ly = tf_axis(out_h, a.shape[0])
    x0, x1, lx = tf_axis(out_w, a.shape[1])
    lx = lx[None, :, None]
    ly = ly[:, None, None]
    tl, tr = a[y0][:, x0], a[y0][:, x1]
    bl, br = a[y1][:, x0], a[y1][:, x1]
    top = tl + (tr - tl) * lx
    bottom = bl + (br - bl) * lx
    return top + (bottom - top) * ly


def keras_crop(img, th, tw):
    """keras.utils.smart_resize's window, as its tf.data branch computes it (float32)."""
    h, w = img.shape[:2]
    ch = max(min(h, int(f32(w * th) / f32(tw))), 1)
    cw = max(min(w, int(f32(h * tw) / f32(th))), 1)
    top = int(f32(h - ch) / f32(2))
    left = int(f32(w - cw) / f32(2))
    return tf_bilinear(img[top : top + ch, left : left + cw], th, tw)


def tf_pad(img, th, tw):
    """tf.image.resize_with_pad: resize to fit, then zero-pad to the target."""
    h, w = img.shape[:2]
    ratio = max(f32(w) / f32(tw), f32(h) / f32(th))
    rh, rw = f32(h) / ratio, f32(w) / ratio
    ih, iw = max(1, int(np.floor(rh))), max(1, int(np.floor(rw)))
    ph = max(0, int(np.floor((f32(th) - rh) / f32(2))))
    pw = max(0, int(np.floor((f32(tw) - rw) / f32(2))))
    out = np.zeros((th, tw, img.shape[2]), dtype=f32)
    out[ph : ph + ih, pw : pw + iw] = tf_bilinear(img, ih, iw)
    return out


def reference(ref, root):
    img = decoded(f"{root}/{ref['file']}", ref.get("colorMode", "rgb"))
    size = ref.get("size")
    if size is None:
        out = img
    elif ref.get("resampler") == "pil":
        # Pillow's own bilinear (valid as a second opinion only when enlarging).
        pil = Image.fromarray(img[:, :, 0] if img.shape[2] == 1 else img)
        out = np.asarray(pil.resize((size[1], size[0]), Image.BILINEAR)).reshape(size[0], size[1], -1)
    else:
        fit = ref.get("fit")
        f = keras_crop if fit == "crop" else tf_pad if fit == "pad" else lambda a, h, w: tf_bilinear(a, h, w)
        out = np.floor(f(img, size[0], size[1]).astype(np.float64) + 0.5).astype(np.uint8)
    with open(f"{root}/{ref['out']}", "wb") as f:
        f.write(np.ascontiguousarray(out, dtype=np.uint8).tobytes())
    return list(out.shape)


def main():
    job = json.load(open(sys.argv[1]))
    root = sys.argv[2]
    for spec in job.get("write", []):
        write(spec, root)
    shapes = {ref["out"]: reference(ref, root) for ref in job.get("refs", [])}
    json.dump(shapes, open(f"{root}/refs.json", "w"))


main()
