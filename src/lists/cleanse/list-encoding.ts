import { isAscii, isUtf8 } from 'node:buffer';
import { ListInputError } from './list-dialect';

/**
 * A list's encoding, decided on every byte of the file (never on a sample: an accent after the
 * first 64 KiB, or one stray byte near the top, once decided it wrongly and cost households
 * their refusals). What the rows then do with bytes that do not fit it is in range-rows.ts.
 */
export interface ListEncoding {
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
  /** Byte-order mark length (0, 2 or 3): copied to the cleansed file as it was. */
  bomBytes: number;
  unitWidth: 1 | 2;
  littleEndian: boolean;
  /** How it was decided, in words (the summary shows it). */
  decidedBy: string;
  /** Read as UTF-8 with no byte that is not UTF-8 (a row's ASCII then needs no further check). */
  cleanUtf8: boolean;
  /**
   * Read as Windows-1252 although some of its bytes are UTF-8 characters too (a file put together
   * from two exports): a row whose address holds such a character reads differently in the two
   * encodings, and gets no key.
   */
  mixed: boolean;
}

const HEAD_BYTES = 64 * 1024;

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/**
 * Reads a list's bytes as they pass (block by block, in order; push may be given any split) and
 * decides its encoding at the end:
 *  1. a byte-order mark declares it (UTF-8, UTF-16 LE/BE);
 *  2. NUL bytes all in odd (or all in even) places of the first 64 KiB: UTF-16 without a mark;
 *  3. UTF-8 when every byte of the file is UTF-8;
 *  4. else UTF-8 still when the file holds more UTF-8 characters (multi-byte sequences) than bytes
 *     that are not UTF-8: a UTF-8 file with a few stray bytes, whose rows holding one in their
 *     address read as U+FFFD and get no key;
 *  5. else Windows-1252, the single-byte encoding US spreadsheets write.
 */
export class EncodingScan {
  private head: Buffer[] = [];
  private headLength = 0;
  private structure?: Pick<ListEncoding, 'encoding' | 'bomBytes' | 'unitWidth' | 'littleEndian'> & { decidedBy?: string };
  /** An incomplete UTF-8 sequence at the end of the last block. */
  private tail = Buffer.alloc(0);
  private offset = 0;
  private characters = 0;
  private strayBytes = 0;
  private firstStray = -1;

  /** What makes the file no list at all (a ZIP, a binary file): thrown by end(), not by push. */
  private failure?: Error;

  push(block: Buffer): void {
    if (this.failure) return;
    if (this.structure === undefined) {
      this.head.push(Buffer.from(block));
      this.headLength += block.length;
      if (this.headLength >= HEAD_BYTES) this.tryToDecideStructure();
      return;
    }
    this.scanUtf8(block);
  }

  private tryToDecideStructure(): void {
    try {
      this.decideStructure();
    } catch (error) {
      this.failure = error as Error;
    }
  }

  end(): ListEncoding {
    if (this.structure === undefined && !this.failure) this.tryToDecideStructure();
    if (this.failure) throw this.failure;
    const s = this.structure!;
    if (this.tail.length > 0) this.countSequences(this.tail, this.offset - this.tail.length);
    if (s.decidedBy !== undefined) {
      const decidedBy = s.encoding === 'utf-8' && this.strayBytes > 0 ? `${s.decidedBy}; ${this.strayDescription()}` : s.decidedBy;
      return { ...s, decidedBy, cleanUtf8: s.encoding === 'utf-8' && this.strayBytes === 0, mixed: false };
    }
    const single = { bomBytes: 0, unitWidth: 1 as const, littleEndian: false };
    if (this.strayBytes === 0) return { ...single, encoding: 'utf-8', decidedBy: 'every byte of the file is UTF-8', cleanUtf8: true, mixed: false };
    if (this.characters > this.strayBytes) {
      return {
        ...single,
        encoding: 'utf-8',
        decidedBy: `UTF-8: the file holds ${count(this.characters, 'UTF-8 character')} and ${this.strayDescription()}`,
        cleanUtf8: false,
        mixed: false,
      };
    }
    return {
      ...single,
      encoding: 'windows-1252',
      decidedBy:
        this.characters === 0
          ? `Windows-1252: not UTF-8 (${this.strayDescription()}), and no UTF-8 character anywhere in the file`
          : `Windows-1252: ${this.strayDescription()}, more than its ${count(this.characters, 'UTF-8 character')} (rows whose address holds one of those get no key)`,
      cleanUtf8: false,
      mixed: this.characters > 0,
    };
  }

  private strayDescription(): string {
    return `${count(this.strayBytes, 'byte')} that ${this.strayBytes === 1 ? 'is' : 'are'} not UTF-8, the first at byte ${this.firstStray.toLocaleString('en-US')}`;
  }

  private decideStructure(): void {
    const head = Buffer.concat(this.head);
    this.head = [];
    const sample = head.subarray(0, HEAD_BYTES);
    if (sample.length === 0) throw new ListInputError('The file is empty (0 bytes): a list needs a header row and at least one row', 'EMPTY_FILE');
    if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) {
      this.structure = { encoding: 'utf-8', bomBytes: 3, unitWidth: 1, littleEndian: false, decidedBy: 'a UTF-8 byte-order mark' };
    } else if (sample[0] === 0xff && sample[1] === 0xfe) {
      this.structure = { encoding: 'utf-16le', bomBytes: 2, unitWidth: 2, littleEndian: true, decidedBy: 'a UTF-16 (little-endian) byte-order mark' };
      return;
    } else if (sample[0] === 0xfe && sample[1] === 0xff) {
      this.structure = { encoding: 'utf-16be', bomBytes: 2, unitWidth: 2, littleEndian: false, decidedBy: 'a UTF-16 (big-endian) byte-order mark' };
      return;
    } else if (sample[0] === 0x50 && sample[1] === 0x4b && sample[2] === 0x03 && sample[3] === 0x04) {
      throw new ListInputError('This is a ZIP or Excel (.xlsx) file, not a CSV: save the sheet as CSV (comma-separated) and upload that', 'NOT_CSV');
    } else if (sample.indexOf(0) >= 0) {
      this.structure = utf16WithoutMark(sample);
      return;
    } else {
      this.structure = { encoding: 'utf-8', bomBytes: 0, unitWidth: 1, littleEndian: false };
    }
    this.scanUtf8(head);
  }

  /** Counts UTF-8 characters and stray bytes; blocks of ASCII or valid UTF-8 take native checks only. */
  private scanUtf8(block: Buffer): void {
    let from = 0;
    if (this.tail.length > 0) {
      // the continuation bytes that may finish the sequence cut at the end of the last block
      while (from < block.length && from < 3 && (block[from]! & 0xc0) === 0x80) from++;
      const joined = Buffer.concat([this.tail, block.subarray(0, from)]);
      if (from === block.length && utf8SequenceLength(joined, 0) < 0) {
        // still cut short: the next block may finish it
        this.tail = joined;
        this.offset += block.length;
        return;
      }
      this.countSequences(joined, this.offset - this.tail.length);
      this.tail = Buffer.alloc(0);
    }
    let end = block.length;
    let back = 0;
    while (end > from && back < 3 && (block[end - 1]! & 0xc0) === 0x80) {
      end--;
      back++;
    }
    if (end > from && block[end - 1]! >= 0xc0) end--;
    else end = block.length;
    const whole = block.subarray(from, end);
    if (!isAscii(whole)) {
      if (isUtf8(whole)) this.characters += countLeadBytes(whole);
      else this.countSequences(whole, this.offset + from);
    }
    this.tail = Buffer.from(block.subarray(end));
    this.offset += block.length;
  }

  /** Counts the UTF-8 characters and the stray bytes of `bytes` (at file offset `at`), which end no sequence short. */
  private countSequences(bytes: Buffer, at: number): void {
    let i = 0;
    while (i < bytes.length) {
      const b = bytes[i]!;
      if (b < 0x80) {
        i++;
        continue;
      }
      const length = utf8SequenceLength(bytes, i);
      if (length > 0) {
        this.characters++;
        i += length;
        continue;
      }
      this.strayBytes++;
      if (this.firstStray < 0) this.firstStray = at + i;
      i++;
    }
  }
}

function countLeadBytes(bytes: Buffer): number {
  let leads = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0xc0) leads++;
  return leads;
}

/**
 * The length of the UTF-8 multi-byte sequence at bytes[i] (RFC 3629: no overlong forms, no
 * surrogates, nothing past U+10FFFF), 0 when it is not one, -1 when bytes end inside one.
 */
export function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  let length: number;
  let low = 0x80;
  let high = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) length = 2;
  else if (b >= 0xe0 && b <= 0xef) {
    length = 3;
    if (b === 0xe0) low = 0xa0;
    if (b === 0xed) high = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    length = 4;
    if (b === 0xf0) low = 0x90;
    if (b === 0xf4) high = 0x8f;
  } else return 0;
  for (let k = 1; k < length; k++) {
    if (i + k >= bytes.length) return -1;
    const c = bytes[i + k]!;
    if (k === 1 ? c < low || c > high : c < 0x80 || c > 0xbf) return 0;
  }
  return length;
}

/** Whether bytes [start, end) hold a UTF-8 multi-byte character. */
export function holdsUtf8Character(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i]! >= 0xc2 && utf8SequenceLength(bytes.subarray(0, end), i) > 0) return true;
  return false;
}

/** UTF-16 without a byte-order mark: ASCII text puts a NUL in every other byte. */
function utf16WithoutMark(sample: Buffer): Pick<ListEncoding, 'encoding' | 'bomBytes' | 'unitWidth' | 'littleEndian'> & { decidedBy: string } {
  let even = 0;
  let odd = 0;
  const length = sample.length - (sample.length % 2);
  for (let i = 0; i < length; i += 2) {
    if (sample[i] === 0) even++;
    if (sample[i + 1] === 0) odd++;
  }
  const units = length / 2;
  // Latin text has a NUL in nearly every unit; a binary file has NULs in both places.
  if (units > 0 && (even === 0 || odd === 0) && Math.max(even, odd) >= units / 2) {
    const littleEndian = even === 0;
    return {
      encoding: littleEndian ? 'utf-16le' : 'utf-16be',
      bomBytes: 0,
      unitWidth: 2,
      littleEndian,
      decidedBy: `UTF-16 (${littleEndian ? 'little' : 'big'}-endian) without a byte-order mark: every ${littleEndian ? 'second' : 'first'} byte of a character is NUL`,
    };
  }
  throw new ListInputError(
    `This is not a text list: byte ${sample.indexOf(0)} is a NUL byte (a binary file). Upload a CSV or TSV file in UTF-8, UTF-16 or Windows-1252`,
    'BINARY_FILE',
  );
}

/** Decides a stored list's encoding by reading all of it. */
export async function scanListEncoding(blocks: AsyncIterable<Buffer>): Promise<ListEncoding> {
  const scan = new EncodingScan();
  for await (const block of blocks) scan.push(block);
  return scan.end();
}

