const CR = 0x0d;
const LF = 0x0a;

/**
 * True when some byte of a 32-bit word is LF, VT, FF or CR (0x0a–0x0d), exactly. Per byte b,
 * with no carry or borrow between bytes (low7 ≤ 0x7f in each): 0x8d - low7 has its top bit set
 * when b ≤ 0x0d, low7 + 0x76 when b ≥ 0x0a, and ~word when b < 0x80. Tab (0x09) is left out, so
 * a tab-delimited list's words are skipped as fast as a comma-delimited one's.
 */
function hasLineBreakByte(word: number): boolean {
  const low7 = word & 0x7f7f7f7f;
  return ((0x8d8d8d8d - low7) & (low7 + 0x76767676) & ~word & 0x80808080) !== 0;
}

/**
 * Finds the next CR or LF byte in a one-byte encoding, skipping four bytes at a time. Between
 * line breaks that are a few dozen bytes apart this is cheaper than Buffer.indexOf, a native
 * call per search (and a line needs two, for LF and for CR).
 */
export class LineBreakSearch {
  private buf: Buffer = Buffer.alloc(0);
  /** words[k] holds buf[head + 4k .. head + 4k + 3], in the platform's byte order (which the test above does not mind). */
  private words: Int32Array = new Int32Array(0);
  private head = 0;

  reset(buf: Buffer): void {
    this.buf = buf;
    this.head = (4 - (buf.byteOffset & 3)) & 3; // an Int32Array view must start 4-aligned
    const count = buf.length > this.head ? (buf.length - this.head) >> 2 : 0;
    this.words = count > 0 ? new Int32Array(buf.buffer, buf.byteOffset + this.head, count) : new Int32Array(0);
  }

  /** The first index in [at, to) holding CR or LF, or -1. */
  next(at: number, to: number): number {
    const { buf, words, head } = this;
    const lastWord = (to - head) >> 2; // the words wholly before `to` are [0, lastWord)
    let i = at;
    while (i < to) {
      if (((i - head) & 3) === 0) {
        let w = (i - head) >> 2;
        while (w < lastWord && !hasLineBreakByte(words[w]!)) w++;
        i = head + 4 * w;
        if (i >= to) break;
      }
      const c = buf[i]!;
      if (c === LF || c === CR) return i;
      i++;
    }
    return -1;
  }
}
