import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { SPREADSHEET_SAFE_CELLS } from '../lib/spreadsheet-cells';

/**
 * Writes CSV rows to a stream, waiting when the stream is full (memory stays flat). Its files
 * (reject reports, print files) are built from other people's files: a cell that a spreadsheet
 * would run as a formula is written as text (spreadsheetSafe).
 */
export class CsvOutput {
  rows = 0;

  constructor(
    private readonly dest: Writable,
    header: string[],
  ) {
    this.dest.write(stringify([header], SPREADSHEET_SAFE_CELLS));
  }

  async write(row: (string | number)[]): Promise<void> {
    this.rows += 1;
    if (!this.dest.write(stringify([row], SPREADSHEET_SAFE_CELLS))) await once(this.dest, 'drain');
  }

  async end(): Promise<void> {
    const finished = once(this.dest, 'finish');
    this.dest.end();
    await finished;
  }
}
