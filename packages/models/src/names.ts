/**
 * Gives layers the names a fresh Keras session would (`conv2d`, `conv2d_1`, …), skipping names
 * already taken, so that summaries and weight files read the same on every build instead of
 * carrying tfjs's process-wide counters (`conv2d_Conv2D3`).
 */
export class LayerNamer {
  private readonly counts = new Map<string, number>();
  private readonly taken: Set<string>;

  constructor(taken: Iterable<string> = []) {
    this.taken = new Set(taken);
  }

  next(prefix: string): string {
    let n = this.counts.get(prefix) ?? 0;
    let name = n === 0 ? prefix : `${prefix}_${n}`;
    while (this.taken.has(name)) {
      n += 1;
      name = `${prefix}_${n}`;
    }
    this.counts.set(prefix, n + 1);
    this.taken.add(name);
    return name;
  }
}
