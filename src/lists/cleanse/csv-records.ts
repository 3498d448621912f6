import { RecordSplitter, type RawRecord } from './csv-record-splitter';
import { BadRequestError } from '../../lib/errors';
import { checkSoleColumn } from './address-columns';
import { decode, ListInputError } from './list-dialect';

/** One record of an import file: its fields, or why it cannot be read (its raw text kept). */
export type CsvRecord =
  | { line: number; values: string[]; malformed?: undefined }
  | { line: number; malformed: string; raw: string; /** the fields as far as they could be told apart */ values: string[] };

const SLICE_BYTES = 128 * 1024;

/**
 * The import files' record reader (returned cards, postcard addresses, moves, address-key): the
 * list cleanse's byte-level record splitter, so that every import reads a file as the cleanse
 * does — one record per record whatever its quotes (a quote left open costs its one line, a
 * record with more or fewer fields than the header is malformed, each record once, in order,
 * with the line it starts on). The first record is the header (blank lines before it, and blank
 * lines anywhere, are not records). UTF-8, with or without a byte-order mark; a record holding
 * bytes that are not UTF-8 is malformed (its fields would be read as U+FFFD), never half-read.
 */
export async function* readCsvRecords(input: AsyncIterable<Buffer | string>, options: { trim?: boolean; maxRecordBytes?: number } = {}): AsyncGenerator<CsvRecord> {
  const splitter = new RecordSplitter({ delimiter: 0x2c, unitWidth: 1, littleEndian: false, maxRecordBytes: options.maxRecordBytes });
  let first = true;
  let headerSeen = false;
  const ready: CsvRecord[] = [];
  const onRecord = (record: RawRecord): void => {
    if (record.fieldCount === 1 && record.contentEnd === record.start && !record.error) return; // a blank line
    const raw = decode(record.buf, record.start, record.contentEnd, 'utf-8');
    const values: string[] = [];
    for (let i = 0; i < record.fieldCount; i++) {
      let value = decode(record.buf, record.bounds[2 * i]!, record.bounds[2 * i + 1]!, 'utf-8');
      if (record.quoted[i] && value.includes('"')) value = value.replace(/""/g, '"');
      values.push(options.trim ? value.trim() : value);
    }
    if (record.error) {
      ready.push({ line: record.line, malformed: record.error, raw, values });
      return;
    }
    if (raw.includes('\uFFFD')) {
      ready.push({ line: record.line, malformed: 'the row holds bytes that are not UTF-8 (save the file as UTF-8)', raw, values });
      return;
    }
    if (!headerSeen) {
      headerSeen = true;
      splitter.expectedFields = values.length;
    }
    ready.push({ line: record.line, values });
  };
  for await (const piece of input) {
    let chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
    if (first && chunk.length > 0) {
      first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    for (let at = 0; at < chunk.length; at += SLICE_BYTES) {
      // the splitter may keep a view of what it was given until the next push: a copy of a reused block
      splitter.push(Buffer.from(chunk.subarray(at, at + SLICE_BYTES)), onRecord);
      yield* ready.splice(0);
    }
  }
  splitter.end(onRecord);
  yield* ready.splice(0);
}

/**
 * Finds a column by any of its usual names (case, spaces and punctuation ignored); -1 when there
 * is none, and a ListInputError when its name is on two columns (checkSoleColumn).
 */
export function findColumn(header: string[], names: string[]): number {
  const wanted = new Set(names.map(simplifyHeader));
  const index = header.findIndex((name) => wanted.has(simplifyHeader(name)));
  if (index >= 0) checkSoleColumn(header, index);
  return index;
}

export function simplifyHeader(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** An import's bad input (a record over the size limit) as the 400 its callers answer with; anything else as it was. */
export function asBadRequest(error: unknown): never {
  if (error instanceof ListInputError) throw new BadRequestError(error.message, undefined, error.code);
  throw error;
}
