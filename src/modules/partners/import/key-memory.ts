/**
 * The import's memory of the keys already seen in the file (for "repeated in the file"): a
 * 64-bit hash of each key and the first row that had it, in typed arrays with open
 * addressing. 150,000 keys (50,000 rows × e-mail, phone, press card) cost about 4 MB outside
 * the JS heap, instead of 150,000 strings and Map entries the garbage collector must trace on
 * every full collection. Two different keys sharing all 64 bits (about one chance in 10⁹ at
 * that size) would make the second row reported as a duplicate of the first, with the key
 * shown in the report: visible, never a silent loss.
 */

let hashHi = 0
let hashLo = 0

let a = 0
let b = 0

/** One UTF-16 code unit into both running hashes (module state: no closure per key). */
function feed(c: number): void {
  a = Math.imul(a ^ c, 0x01000193)
  b = Math.imul(b ^ c, 0x5bd1e995)
  b ^= b >>> 15
}

/** Two independent 32-bit hashes (FNV-1a and a murmur-style mix) of `kind:value` into hashHi/hashLo. */
function hashKey(kind: string, value: string): void {
  a = 0x811c9dc5
  b = 0x9747b28c
  for (let i = 0; i < kind.length; i++) feed(kind.charCodeAt(i))
  feed(0x3a)
  for (let i = 0; i < value.length; i++) feed(value.charCodeAt(i))
  // Final avalanche, so that nearby slots do not follow nearby keys.
  a ^= a >>> 16
  a = Math.imul(a, 0x85ebca6b)
  a ^= a >>> 13
  b = Math.imul(b ^ (b >>> 16), 0xc2b2ae35)
  b ^= b >>> 16
  hashHi = a >>> 0
  hashLo = b >>> 0
}

/** Keys seen so far and the first row (≥ 1) that had each. */
export class KeyMemory {
  private hi = new Uint32Array(1 << 12)
  private lo = new Uint32Array(1 << 12)
  /** 0 = empty slot (spreadsheet rows start at 1). */
  private rows = new Int32Array(1 << 12)
  size = 0

  /** The first row that had the key, or undefined. */
  get(kind: string, value: string): number | undefined {
    hashKey(kind, value)
    const row = this.rows[this.slot(hashHi, hashLo)] as number
    return row === 0 ? undefined : row
  }

  /** Remembers the key's first row (a key already known keeps its first row). */
  remember(kind: string, value: string, rowNumber: number): void {
    if (rowNumber < 1) throw new Error('KeyMemory: row numbers start at 1')
    if ((this.size + 1) * 2 > this.rows.length) this.grow()
    hashKey(kind, value)
    const i = this.slot(hashHi, hashLo)
    if (this.rows[i] !== 0) return
    this.hi[i] = hashHi
    this.lo[i] = hashLo
    this.rows[i] = rowNumber
    this.size++
  }

  /** The slot holding this hash, or the empty slot where it would go (linear probing). */
  private slot(hi: number, lo: number): number {
    const mask = this.rows.length - 1
    let i = lo & mask
    while (this.rows[i] !== 0 && (this.hi[i] !== hi || this.lo[i] !== lo)) i = (i + 1) & mask
    return i
  }

  private grow(): void {
    const { hi, lo, rows } = this
    this.hi = new Uint32Array(rows.length * 2)
    this.lo = new Uint32Array(rows.length * 2)
    this.rows = new Int32Array(rows.length * 2)
    for (let i = 0; i < rows.length; i++) {
      if (rows[i] === 0) continue
      const j = this.slot(hi[i] as number, lo[i] as number)
      this.hi[j] = hi[i] as number
      this.lo[j] = lo[i] as number
      this.rows[j] = rows[i] as number
    }
  }
}
