import type { KeyHashResult } from '../../address/delivery-point-key';
import type { KeyHash } from '../../address/key-hash';
import { ByteBuilder } from './byte-builder';
import type { ByteSink } from './byte-sink';
import type { RawRecord } from './csv-record-splitter';
import { isOwnReportText, reportColumns, reportField } from './discard-report-row';
import { csvField, decode, encode } from './list-dialect';
import type { KeyHashTable } from './key-hash-table';
import { fieldText, walkRangeRows, type RangeRowsOptions } from './range-rows';

export const DISCARD_REASONS = ['OPTED_OUT', 'ADDRESS_UNREADABLE', 'DUPLICATE', 'MALFORMED_ROW'] as const;
export type DiscardReason = (typeof DISCARD_REASONS)[number];

export interface RangeCounts {
  rowsIn: number;
  kept: number;
  discarded: Record<DiscardReason, number>;
  /** Unreadable addresses kept because the job asked to keep them (counted in kept). */
  keptUnreadable: number;
  /** Empty lines: not rows, they hold no data, and are left out of the outputs. */
  blankLines: number;
}

export function emptyCounts(): RangeCounts {
  return { rowsIn: 0, kept: 0, discarded: { OPTED_OUT: 0, ADDRESS_UNREADABLE: 0, DUPLICATE: 0, MALFORMED_ROW: 0 }, keptUnreadable: 0, blankLines: 0 };
}

export function addCounts(into: RangeCounts, more: RangeCounts): RangeCounts {
  into.rowsIn += more.rowsIn;
  into.kept += more.kept;
  into.keptUnreadable += more.keptUnreadable;
  into.blankLines += more.blankLines;
  for (const reason of DISCARD_REASONS) into.discarded[reason] += more.discarded[reason];
  return into;
}

export interface CleanseRangeOptions extends RangeRowsOptions {
  /** Refused keys of the category at the snapshot, valued with the choice time (epoch seconds). */
  refused: KeyHashTable;
  /** De-duplication in one pass: the keys seen so far (grows as the range is read). */
  seen?: KeyHashTable;
  /**
   * De-duplication of a chunk: the line on which each key first appears in the whole list (the
   * key pass's index, see first-lines.ts). A row whose key first appears on an earlier line is a
   * duplicate — the rows the one-pass seen set would call duplicates.
   */
  firstLines?: KeyHashTable;
  mode: 'suppress' | 'flag';
  keepUnreadable: boolean;
  /**
   * Suppress mode in a chunk: `cleansed` gets the kept rows as the byte ranges of the list they
   * fill (float64 pairs for FileStorage.putRanges) instead of their bytes, which it need not copy.
   */
  keptRanges?: boolean;
}

/** The discard report's own columns, before the list's original fields. */
export const DISCARD_COLUMNS = ['line_number', 'reason', 'reason_detail', 'choice_date', 'raw_row'];

/**
 * Cleanses the records of one byte range of a list (the whole list after its header, or one
 * chunk of it): kept rows go to `cleansed` as their original bytes (or flagged), discarded rows
 * to `discards` as report rows. Chunks and whole lists go through this same function, which is
 * why the chunked path's output is the single path's output.
 */
export async function cleanseRange(input: AsyncIterable<Buffer>, options: CleanseRangeOptions, cleansed: ByteSink, discards: ByteSink): Promise<RangeCounts> {
  const { dialect, refused, seen, firstLines, mode, keepUnreadable, keptRanges } = options;
  if (keptRanges && mode !== 'suppress') throw new Error('kept rows are given as ranges only in suppress mode');
  const counts = emptyCounts();
  const reportFromBytes = dialect.unitWidth === 1 && dialect.delimiter === ',';
  const flagCache = new Map<string, Buffer>();
  const flagSuffix = (status: string, reason: string): Buffer => {
    const text = `${dialect.delimiter}${status}${dialect.delimiter}${csvField(reason, dialect.delimiter)}`;
    let bytes = flagCache.get(text);
    if (!bytes) {
      bytes = encode(text, dialect.encoding);
      if (flagCache.size < 10_000) flagCache.set(text, bytes);
    }
    return bytes;
  };
  const keptSuffix = flagSuffix('kept', '');

  const out = new ByteBuilder();
  // Suppress mode copies runs of consecutive kept records at once: [runStart, runEnd) of runBuf.
  let runBuf: Buffer | undefined;
  let runStart = 0;
  let runEnd = 0;
  const report = new ByteBuilder();
  // The report's own columns after the line number, as bytes, for the discards that repeat them:
  // OPTED_OUT (a category's refusals fall on a few thousand days, each made once) and DUPLICATE.
  const columnsAfterLine = (reason: DiscardReason, detail: string, choiceDate: string) => Buffer.from(reportColumns(reason, detail, choiceDate, ''), 'utf8');
  const optedOutColumns = new Map<number, Buffer>();
  const optedOut = (refusedAt: number): Buffer => {
    const day = Math.floor(refusedAt / 86_400);
    let columns = optedOutColumns.get(day);
    if (columns === undefined) optedOutColumns.set(day, (columns = columnsAfterLine('OPTED_OUT', 'the household refused this category', new Date(day * 86_400_000).toISOString().slice(0, 10))));
    return columns;
  };
  const duplicateColumns = columnsAfterLine('DUPLICATE', 'the same delivery point appeared earlier in the list', '');

  const endRun = () => {
    if (runEnd > runStart) out.append(runBuf!, runStart, runEnd);
    runStart = runEnd = 0;
  };
  // With keptRanges, a run of kept records is the file range [rangeStart, rangeEnd): it goes on
  // across slices and reads, and is written when a discard or the end of the range ends it.
  let rangeStart = 0;
  let rangeEnd = 0;
  const endRange = () => {
    if (rangeEnd > rangeStart) {
      out.appendFloat64(rangeStart);
      out.appendFloat64(rangeEnd);
    }
    rangeStart = rangeEnd = 0;
  };
  const keep = (record: RawRecord, suffix: Buffer) => {
    if (keptRanges) {
      const start = record.offset;
      if (start !== rangeEnd) {
        endRange();
        rangeStart = start;
      }
      rangeEnd = start + record.end - record.start;
    } else if (mode === 'suppress') {
      if (record.buf === runBuf && record.start === runEnd) {
        runEnd = record.end;
        return;
      }
      endRun();
      runBuf = record.buf;
      runStart = record.start;
      runEnd = record.end;
    } else {
      out.append(record.buf, record.start, record.contentEnd);
      out.append(suffix, 0, suffix.length);
      out.append(record.buf, record.contentEnd, record.end);
    }
  };
  /**
   * A discarded row's report line, and in flag mode its flagged row. `raw`: the report shows the
   * row's text in its own column (a malformed row has no fields). `columns`, when given, are the
   * report columns after the line number, as bytes.
   */
  const discard = (record: RawRecord, reason: DiscardReason, detail: string, raw: boolean, columns?: Buffer) => {
    counts.discarded[reason]++;
    report.appendDecimal(record.line);
    if (raw) {
      report.appendText(reportColumns(reason, detail, '', decode(record.buf, record.start, record.contentEnd, dialect.encoding)));
      report.appendByte(0x0a); // \n
    } else {
      if (columns) report.append(columns, 0, columns.length);
      else report.appendText(reportColumns(reason, detail, '', ''));
      if (reportFromBytes && isOwnReportText(record.buf, record.start, record.contentEnd)) {
        report.appendByte(0x2c); // ,
        report.append(record.buf, record.start, record.contentEnd);
        report.appendByte(0x0a); // \n
      } else {
        let fields = '';
        for (let i = 0; i < record.fieldCount; i++) fields += ',' + reportField(fieldText(record, i, dialect));
        report.appendText(fields + '\n');
      }
    }
    if (mode === 'flag') keep(record, flagSuffix('discarded', detail ? `${reason}: ${detail}` : reason));
  };
  const duplicate = (record: RawRecord) => discard(record, 'DUPLICATE', 'the same delivery point appeared earlier in the list', false, duplicateColumns);

  const onRow = (record: RawRecord, result: KeyHashResult | undefined, hash: KeyHash): void => {
    if (result === undefined) {
      discard(record, 'MALFORMED_ROW', record.error!, true);
      return;
    }
    if (!result.ok) {
      if (keepUnreadable) {
        counts.kept++;
        counts.keptUnreadable++;
        keep(record, flagSuffix('kept', `ADDRESS_UNREADABLE: ${result.reason}`));
      } else {
        discard(record, 'ADDRESS_UNREADABLE', `${result.reason}: ${result.message}`, false);
      }
      return;
    }
    const refusedAt = refused.getHash(hash);
    if (refusedAt !== 0) {
      discard(record, 'OPTED_OUT', 'the household refused this category', false, optedOut(refusedAt));
      return;
    }
    if (seen && !seen.addHash(hash)) {
      duplicate(record);
      return;
    }
    if (firstLines) {
      const firstLine = firstLines.getHash(hash);
      // The key pass read these same rows with the same keys, so the index has this key on this
      // line or an earlier one; anything else means it is not this list's index.
      if (firstLine === 0 || firstLine > record.line) throw new Error(`line ${record.line}: the list's first-occurrence index does not match it (it gives line ${firstLine})`);
      if (firstLine < record.line) {
        duplicate(record);
        return;
      }
    }
    counts.kept++;
    keep(record, keptSuffix);
  };

  const flush = async () => {
    endRun();
    if (out.pending > 0) await cleansed.write(out.take());
    if (report.pending > 0) await discards.write(report.take());
  };

  const totals = await walkRangeRows(input, options, onRow, flush);
  if (keptRanges) {
    endRange();
    await flush();
  }
  counts.rowsIn = totals.rows;
  counts.blankLines = totals.blankLines;
  return counts;
}
