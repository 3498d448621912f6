import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';

export type CsvRecord =
  | { line: number; values: string[]; malformed?: undefined }
  | { line: number; malformed: string; raw: string };

/**
 * Streams a CSV file (UTF-8, with or without BOM) as records with their line numbers. A broken
 * record (unclosed quote, wrong number of fields) is not thrown: it comes out as `malformed` with
 * the parser's message, so the caller can put it in its reject report and carry on.
 */
export async function* readCsvRecords(input: Readable): AsyncGenerator<CsvRecord> {
  const parser = input.pipe(
    parse({ bom: true, info: true, raw: true, skip_empty_lines: true, skip_records_with_error: true, trim: true }),
  );
  const skipped: CsvRecord[] = [];
  parser.on('skip', (error: Error & { lines?: number }, raw?: string) => {
    skipped.push({ line: error.lines ?? 0, malformed: error.message, raw: (raw ?? '').replace(/\r?\n$/, '') });
  });
  input.on('error', (error) => parser.destroy(error));
  for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    // The parser reports a skipped record as soon as it meets it, possibly before we have read the
    // records above it: hand them out in line order.
    while (skipped.length > 0 && skipped[0]!.line < item.info.lines) yield skipped.shift()!;
    yield { line: item.info.lines, values: item.record };
  }
  while (skipped.length > 0) yield skipped.shift()!;
}

/** Finds a column by any of its usual names (case, spaces and punctuation ignored). */
export function findColumn(header: string[], names: string[]): number {
  const wanted = new Set(names.map(simplifyHeader));
  return header.findIndex((name) => wanted.has(simplifyHeader(name)));
}

export function simplifyHeader(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}
