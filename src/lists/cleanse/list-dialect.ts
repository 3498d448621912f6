import iconv from 'iconv-lite';

/** How a list file is written: found by looking at its first bytes, then used for every row. */
export interface ListDialect {
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
  /** Byte-order mark length (0, 2 or 3): copied to the cleansed file as it was. */
  bomBytes: number;
  unitWidth: 1 | 2;
  littleEndian: boolean;
  delimiter: ',' | '\t' | ';' | '|';
}

/** Bad input found while reading a list: the message says what and where. */
export class ListInputError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ListInputError';
  }
}

export const DELIMITER_NAMES: Record<ListDialect['delimiter'], string> = { ',': 'comma', '\t': 'tab', ';': 'semicolon', '|': 'pipe' };

/** Encoding from the byte-order mark, else UTF-8 when the sample is valid UTF-8, else Windows-1252. */
export function detectEncoding(sample: Buffer, atEof: boolean): Pick<ListDialect, 'encoding' | 'bomBytes' | 'unitWidth' | 'littleEndian'> {
  if (sample.length === 0) throw new ListInputError('The file is empty (0 bytes): a list needs a header row and at least one row', 'EMPTY_FILE');
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', bomBytes: 3, unitWidth: 1, littleEndian: false };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', bomBytes: 2, unitWidth: 2, littleEndian: true };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', bomBytes: 2, unitWidth: 2, littleEndian: false };
  if (sample[0] === 0x50 && sample[1] === 0x4b && sample[2] === 0x03 && sample[3] === 0x04) {
    throw new ListInputError('This is a ZIP or Excel (.xlsx) file, not a CSV: save the sheet as CSV (comma-separated) and upload that', 'NOT_CSV');
  }
  const nul = sample.indexOf(0);
  if (nul >= 0) {
    throw new ListInputError(
      `This is not a text list: byte ${nul} is a NUL byte (a binary file, or UTF-16 without a byte-order mark). Upload a CSV or TSV file in UTF-8, UTF-16 with a byte-order mark, or Windows-1252`,
      'BINARY_FILE',
    );
  }
  // A multi-byte character may be cut at the end of the sample; ignore an incomplete tail.
  const checked = atEof ? sample : trimIncompleteUtf8(sample);
  return isValidUtf8(checked)
    ? { encoding: 'utf-8', bomBytes: 0, unitWidth: 1, littleEndian: false }
    : { encoding: 'windows-1252', bomBytes: 0, unitWidth: 1, littleEndian: false };
}

function isValidUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function trimIncompleteUtf8(bytes: Buffer): Buffer {
  let i = bytes.length - 1;
  let back = 0;
  while (i >= 0 && back < 4 && (bytes[i]! & 0xc0) === 0x80) {
    i--;
    back++;
  }
  if (i >= 0 && bytes[i]! >= 0xc0) return bytes.subarray(0, i);
  return bytes;
}

/** The delimiter that occurs most often outside quotes on the header line (comma on a tie). */
export function sniffDelimiter(headerLine: string): ListDialect['delimiter'] {
  const counts: Record<string, number> = { ',': 0, '\t': 0, ';': 0, '|': 0 };
  let inQuotes = false;
  for (const ch of headerLine) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && ch in counts) counts[ch]!++;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) break;
  }
  let best: ListDialect['delimiter'] = ',';
  for (const candidate of ['\t', ';', '|'] as const) if (counts[candidate]! > counts[best]!) best = candidate;
  return best;
}

/** Finds the whole dialect from the first bytes of a file (64 KiB is plenty). */
export function detectDialect(sample: Buffer, atEof: boolean): ListDialect {
  const encoding = detectEncoding(sample, atEof);
  const text = decode(sample, encoding.bomBytes, sample.length - (sample.length % encoding.unitWidth), encoding.encoding);
  if (text.trim() === '') throw new ListInputError('The file has no text: a list needs a header row and at least one row', 'EMPTY_FILE');
  return { ...encoding, delimiter: sniffDelimiter(text.replace(/^[\r\n]+/, '')) };
}

const ICONV_NAMES: Record<ListDialect['encoding'], string> = { 'utf-8': 'utf8', 'utf-16le': 'utf16le', 'utf-16be': 'utf16be', 'windows-1252': 'win1252' };

export function decode(buf: Buffer, start: number, end: number, encoding: ListDialect['encoding']): string {
  // utf8Slice skips toString's argument handling: this runs for every address field of every row.
  if (encoding === 'utf-8') return (buf as Buffer & { utf8Slice(start: number, end: number): string }).utf8Slice(start, end);
  if (encoding === 'utf-16le') return buf.toString('utf16le', start, end);
  return iconv.decode(buf.subarray(start, end), ICONV_NAMES[encoding]);
}

export function encode(text: string, encoding: ListDialect['encoding']): Buffer {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  return iconv.encode(text, ICONV_NAMES[encoding]);
}

/** A field value as CSV, quoted only when it must be. */
export function csvField(value: string, delimiter: string): string {
  return value.includes(delimiter) || /["\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
