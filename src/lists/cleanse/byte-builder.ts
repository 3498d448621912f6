/**
 * Output bytes gathered by copying into large blocks and handed out one slice per flush. A
 * cleanse keeps millions of rows: a Buffer view (or a Buffer.concat) per row costs more than the
 * copy itself, and kept rows usually arrive in runs that are one copy here.
 */
/** Up to this many bytes (or characters) are copied one by one, not through a Buffer method. */
const SHORT = 64;

export class ByteBuilder {
  private block: Buffer;
  private start = 0;
  private length = 0;

  constructor(private readonly blockBytes = 512 * 1024) {
    this.block = Buffer.allocUnsafe(blockBytes);
  }

  get pending(): number {
    return this.length - this.start;
  }

  append(source: Buffer, from: number, to: number): void {
    const bytes = to - from;
    if (this.length + bytes > this.block.length) this.nextBlock(bytes);
    if (bytes <= SHORT) {
      // Buffer#copy makes a Uint8Array view of the source for every call: for a row's few dozen
      // bytes, the view and the call cost more than the copy.
      const block = this.block;
      let at = this.length;
      for (let i = from; i < to; i++) block[at++] = source[i]!;
    } else {
      source.copy(this.block, this.length, from, to);
    }
    this.length += bytes;
  }

  appendText(text: string): void {
    const most = 3 * text.length; // UTF-8 bytes per UTF-16 code unit, at most
    if (this.length + most > this.block.length) this.nextBlock(most);
    if (text.length <= SHORT) {
      // Short ASCII text (a key, a status) written here rather than through Buffer#write's call into C++.
      const block = this.block;
      const at = this.length;
      let i = 0;
      for (; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c >= 0x80) break;
        block[at + i] = c;
      }
      this.length += i;
      if (i === text.length) return;
      text = text.slice(i);
    }
    this.length += this.block.write(text, this.length, 'utf8');
  }

  /**
   * Text that a CSV field holds as it is (ASCII without a quote, comma, CR or LF), written in one
   * pass; false, with nothing written, for any other text (for the caller to quote it).
   */
  appendPlainCsv(text: string): boolean {
    if (this.length + text.length > this.block.length) this.nextBlock(text.length);
    const block = this.block;
    const at = this.length;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80 || c === 0x22 || c === 0x2c || c === 0x0d || c === 0x0a) return false;
      block[at + i] = c;
    }
    this.length += text.length;
    return true;
  }

  /** Drops what was appended since `pending` (a value of the getter) bytes were pending: output written too soon. */
  dropAfter(pending: number): void {
    this.length = this.start + pending;
  }

  /** One byte (an ASCII separator). */
  appendByte(byte: number): void {
    if (this.length + 1 > this.block.length) this.nextBlock(1);
    this.block[this.length++] = byte;
  }

  /** A number as a little-endian float64 (a byte offset in a range file). */
  appendFloat64(value: number): void {
    if (this.length + 8 > this.block.length) this.nextBlock(8);
    this.block.writeDoubleLE(value, this.length);
    this.length += 8;
  }

  /** A whole number ≥ 0 in decimal ASCII digits (a line number), without making its text. */
  appendDecimal(value: number): void {
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    if (this.length + digits > this.block.length) this.nextBlock(digits);
    let at = this.length + digits;
    let rest = value;
    do {
      this.block[--at] = 48 + (rest % 10);
      rest = Math.floor(rest / 10);
    } while (rest > 0);
    this.length += digits;
  }

  /** The bytes appended since the last take; the builder never writes over them again. */
  take(): Buffer {
    const out = this.block.subarray(this.start, this.length);
    this.start = this.length;
    return out;
  }

  private nextBlock(bytes: number): void {
    const kept = this.block.subarray(this.start, this.length);
    this.block = Buffer.allocUnsafe(Math.max(this.blockBytes, 2 * (kept.length + bytes)));
    kept.copy(this.block, 0);
    this.start = 0;
    this.length = kept.length;
  }
}
