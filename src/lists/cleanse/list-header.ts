import { RecordSplitter } from './csv-record-splitter';
import { decode, detectDialect, ListInputError, type ListDialect } from './list-dialect';
import { scanListEncoding, type ListEncoding } from './list-encoding';

/**
 * A stored list: its size and a way to read all or part of its bytes. A block read may be
 * overwritten once the block after the next one is asked for (FileStorage.readBlocks): a reader
 * that keeps bytes longer than that copies them.
 */
export interface ListSource {
  size: number;
  open(range?: { start: number; end: number }): AsyncIterable<Buffer>;
}

export interface ListHeader {
  dialect: ListDialect;
  fields: string[];
  /** Bytes of the file up to the end of the header's content (BOM included, terminator not). */
  contentEnd: number;
  /** Where the first data row starts. */
  dataStart: number;
  /** The physical line number of the first data row. */
  firstDataLine: number;
  /** The header's line terminator bytes (reused for the flag columns). */
  terminator: Buffer;
  /** The file's bytes [0, contentEnd). */
  prefix: Buffer;
}

const SNIFF_BYTES = 64 * 1024;
const MAX_HEADER_BYTES = 1 << 20;

/**
 * Reads the list's header, in its encoding: decided on the whole file when the upload was
 * stored, or here by reading all of it when `encoding` is not given.
 */
export async function readListHeader(source: ListSource, encoding?: ListEncoding): Promise<ListHeader> {
  if (source.size === 0) throw new ListInputError('The file is empty (0 bytes): a list needs a header row and at least one row', 'EMPTY_FILE');
  encoding ??= await scanListEncoding(source.open());
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of source.open({ start: 0, end: Math.min(source.size, MAX_HEADER_BYTES) })) {
    chunks.push(Buffer.from(chunk));
    length += chunk.length;
    if (length >= SNIFF_BYTES) break;
  }
  let bytes = Buffer.concat(chunks);
  const dialect = detectDialect(bytes.subarray(0, SNIFF_BYTES), encoding);
  const header = findHeader(bytes, dialect, bytes.length >= source.size);
  if (header) return header;
  // A header longer than the sniffed bytes: read up to 1 MiB before giving up.
  bytes = Buffer.concat([]);
  const more: Buffer[] = [];
  for await (const chunk of source.open({ start: 0, end: Math.min(source.size, MAX_HEADER_BYTES) })) more.push(Buffer.from(chunk));
  bytes = Buffer.concat(more);
  const again = findHeader(bytes, dialect, bytes.length >= source.size);
  if (again) return again;
  throw new ListInputError('The header row is longer than 1 MiB: this does not look like a CSV list', 'BAD_HEADER');
}

function findHeader(bytes: Buffer, dialect: ListDialect, atEof: boolean): ListHeader | undefined {
  const splitter = new RecordSplitter({
    delimiter: dialect.delimiter.charCodeAt(0),
    unitWidth: dialect.unitWidth,
    littleEndian: dialect.littleEndian,
    firstOffset: dialect.bomBytes,
    maxRecordBytes: MAX_HEADER_BYTES,
  });
  let header: ListHeader | undefined;
  let skipped = 0;
  const onRecord = (record: Parameters<Parameters<RecordSplitter['push']>[1]>[0]): boolean => {
    if (record.fieldCount === 1 && record.contentEnd === record.start) {
      skipped++;
      return true; // blank lines before the header
    }
    if (record.error) throw new ListInputError(`The header row (line ${record.line}) is malformed: ${record.error}`, 'BAD_HEADER');
    const fields: string[] = [];
    for (let i = 0; i < record.fieldCount; i++) {
      const value = decode(record.buf, record.bounds[2 * i]!, record.bounds[2 * i + 1]!, dialect.encoding).trim();
      fields.push(record.quoted[i] ? value.replace(/""/g, '"') : value);
    }
    const contentEnd = record.offset + (record.contentEnd - record.start);
    const dataStart = record.offset + (record.end - record.start);
    const newlines = countNewlines(bytes.subarray(record.offset, dataStart), dialect);
    header = {
      dialect,
      fields,
      contentEnd,
      dataStart,
      firstDataLine: record.line + newlines,
      terminator: Buffer.from(bytes.subarray(contentEnd, dataStart)),
      prefix: Buffer.from(bytes.subarray(0, contentEnd)),
    };
    return false;
  };
  const body = bytes.subarray(dialect.bomBytes);
  if (splitter.push(body, onRecord) && atEof) splitter.end(onRecord);
  if (!header && atEof) throw new ListInputError('The file has no header row: the first line must name the columns', 'EMPTY_FILE');
  if (header && header.fields.every((field) => field === '')) {
    throw new ListInputError(`The header row (line ${skipped + 1}) is empty: the first line must name the columns`, 'BAD_HEADER');
  }
  return header;
}

function countNewlines(bytes: Buffer, dialect: ListDialect): number {
  const w = dialect.unitWidth;
  let count = 0;
  for (let i = 0; i + w <= bytes.length; i += w) {
    const c = w === 1 ? bytes[i]! : dialect.littleEndian ? bytes[i]! | (bytes[i + 1]! << 8) : (bytes[i]! << 8) | bytes[i + 1]!;
    if (c === 0x0a) count++;
    else if (c === 0x0d) {
      const next = i + w < bytes.length ? (w === 1 ? bytes[i + w]! : dialect.littleEndian ? bytes[i + w]! | (bytes[i + w + 1]! << 8) : (bytes[i + w]! << 8) | bytes[i + w + 1]!) : -1;
      if (next !== 0x0a) count++;
    }
  }
  return count;
}
