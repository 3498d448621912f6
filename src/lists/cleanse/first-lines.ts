import { KeyHashTable } from './key-hash-table';
import { rowsOptions, type CleanseSettings, type ListChunk, type PreparedList } from './list-cleanser';
import { ListInputError } from './list-dialect';
import type { ListSource } from './list-header';
import { walkRangeRows } from './range-rows';

/**
 * De-duplication of a list cleansed in chunks. The one-pass cleanse keeps the first row of each
 * delivery point and calls every later one a DUPLICATE, which needs the keys of all earlier rows.
 * A chunked list gets them in two passes instead:
 *
 * 1. the key pass: every chunk, in parallel, finds the line on which each of its delivery points
 *    first appears (firstLinesOfChunk; each chunk's table is stored as a part file);
 * 2. the index: the chunks' tables, read in list order, make one table of the line on which each
 *    delivery point first appears in the whole list (indexFirstLines);
 * 3. the cleanse of each chunk: a row whose delivery point first appears on an earlier line is a
 *    DUPLICATE (cleanseRange's firstLines).
 *
 * Rows that are malformed or whose address cannot be read have no key: they are left out here,
 * as the one-pass seen set leaves them out. Refused keys are kept in, which changes nothing (a
 * refused row is OPTED_OUT before duplicates are looked at) and keeps the key pass independent of
 * the snapshot. Keys are the tables' 64-bit hashes, the seen set's own, so the two paths agree
 * even on a hash collision.
 */

/** Line numbers are held as 32-bit table values. */
const MAX_LINE = 0xffffffff;

/** The key pass over one chunk: each of its delivery points with the first line it is on. */
export async function firstLinesOfChunk(
  source: ListSource,
  prepared: PreparedList,
  chunk: ListChunk,
  settings: CleanseSettings,
  onProgress?: (rows: number, bytes: number) => void,
): Promise<{ table: KeyHashTable; rows: number }> {
  const table = new KeyHashTable(1 << 14);
  const totals = await walkRangeRows(source.open({ start: chunk.start, end: chunk.end }), rowsOptions(prepared, chunk, settings, onProgress), (record, key, hash) => {
    if (key === undefined || !key.ok) return;
    if (record.line > MAX_LINE) throw new ListInputError(`line ${record.line}: a list of more than ${MAX_LINE} lines cannot be de-duplicated`, 'TOO_MANY_LINES');
    table.setHashIfAbsent(hash, record.line);
  });
  return { table, rows: totals.rows };
}

/**
 * The index: the chunks' first-line tables read in list order, so that a key keeps the line of
 * the earliest chunk it appears in. `parts` opens each chunk's stored table, in chunk order.
 */
export async function indexFirstLines(parts: { index: number; open: () => AsyncIterable<Buffer> }[]): Promise<KeyHashTable> {
  const first = new KeyHashTable(1 << 16);
  for (const part of [...parts].sort((a, b) => a.index - b.index)) {
    const table = await KeyHashTable.fromBytes(part.open());
    if (!table) throw new Error(`the key part file of chunk ${part.index} is not a whole key table`);
    first.addMissing(table);
  }
  return first;
}
