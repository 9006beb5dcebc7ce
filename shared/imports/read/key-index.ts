/** Open addressing slows past this share of the slots in use. */
const maxLoad = 0.75;

/**
 * Natural key → first row, for a whole file in a few bytes per key. A Map of a million keys
 * costs ~80 MB, and keys cut out of the parser's text keep that text alive; this index holds
 * a 64-bit fingerprint of each key (two 32-bit FNV-1a variants) and its row in typed arrays,
 * open addressing up to three quarters full. Grown by doubling (the old arrays and the new
 * are held together while it moves), or sized once by `reserve` for the rows a file is
 * expected to hold: ~16 MB at a million keys. None of the file's text is kept.
 * Two different keys share a fingerprint with a chance of about 1 in 10^19 per pair.
 */
export class KeyIndex {
  private high = new Uint32Array(1024);
  private low = new Uint32Array(1024);
  private rows = new Int32Array(1024).fill(-1);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Room for `keys` keys in all, so that the index need not grow (and move) while they are added. */
  reserve(keys: number): void {
    const slots = Math.ceil(keys / maxLoad) + 1;
    if (slots > this.rows.length) this.resize(slots);
  }

  /** The row first given for `key`, or undefined. */
  get(key: string): number | undefined {
    const at = this.find(fingerprintHigh(key), fingerprintLow(key));
    const row = this.rows[at] ?? -1;
    return row < 0 ? undefined : row;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** The row first given for `key`; or, for a new key, undefined once `row` is recorded for it. */
  add(key: string, row: number): number | undefined {
    const h = fingerprintHigh(key);
    const l = fingerprintLow(key);
    const at = this.find(h, l);
    const first = this.rows[at] ?? -1;
    if (first >= 0) return first;
    this.high[at] = h;
    this.low[at] = l;
    this.rows[at] = row;
    this.count += 1;
    if (this.count > this.rows.length * maxLoad) this.resize(this.rows.length * 2);
    return undefined;
  }

  private find(h: number, l: number): number {
    const slots = this.rows.length;
    let at = ((h ^ l) & 0x7fffffff) % slots;
    while ((this.rows[at] ?? -1) >= 0 && (this.high[at] !== h || this.low[at] !== l)) {
      at += 1;
      if (at === slots) at = 0;
    }
    return at;
  }

  private resize(slots: number): void {
    const { high, low, rows } = this;
    this.high = new Uint32Array(slots);
    this.low = new Uint32Array(slots);
    this.rows = new Int32Array(slots).fill(-1);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] ?? -1;
      if (row < 0) continue;
      const at = this.find(high[i] ?? 0, low[i] ?? 0);
      this.high[at] = high[i] ?? 0;
      this.low[at] = low[i] ?? 0;
      this.rows[at] = row;
    }
  }
}

function fingerprintHigh(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** FNV-1a over the code units in reverse, from another basis: independent enough of the first. */
function fingerprintLow(key: string): number {
  let hash = 0x050c5d1f;
  for (let i = key.length - 1; i >= 0; i--) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  hash ^= key.length;
  return Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d) >>> 0;
}
