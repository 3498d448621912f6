import iconv from 'iconv-lite';
import type { ListEncoding } from './list-encoding';
import { InputError } from '../../lib/errors';

/** How a list file is written: its encoding decided on the whole file (list-encoding.ts), its delimiter on the header. */
export type ListDialect = ListEncoding & { delimiter: ',' | '\t' | ';' | '|' };

/** Bad input found while reading a list: the message says what and where. */
export class ListInputError extends InputError {
  constructor(message: string, code: string) {
    super(message, code);
  }
}

export const DELIMITER_NAMES: Record<ListDialect['delimiter'], string> = { ',': 'comma', '\t': 'tab', ';': 'semicolon', '|': 'pipe' };

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

/** The dialect of a list whose encoding is decided, from its first bytes (the header is in the first 64 KiB, or the first 1 MiB). */
export function detectDialect(sample: Buffer, encoding: ListEncoding): ListDialect {
  const text = decode(sample, encoding.bomBytes, sample.length - ((sample.length - encoding.bomBytes) % encoding.unitWidth), encoding.encoding);
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
