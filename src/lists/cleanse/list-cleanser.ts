import { stringify } from 'csv-stringify/sync';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FileStorage } from '../../lib/file-storage';
import { findAddressColumns, type AddressColumns, type ColumnMapping } from './address-columns';
import { ByteSink } from './byte-sink';
import { addCounts, cleanseRange, DISCARD_COLUMNS, emptyCounts, type RangeCounts } from './cleanse-range';
import { ChunkBoundaryFinder, type ListChunk } from './chunk-boundary-finder';
import { encode, ListInputError } from './list-dialect';
import type { ListEncoding } from './list-encoding';
import { readListHeader, type ListHeader, type ListSource } from './list-header';
import type { KeyHashTable } from './key-hash-table';
import type { RangeRowsOptions, RecordedKeys } from './range-rows';

export type { ListChunk };

export type OutputKind = 'cleansed' | 'discards';

/** Where outputs go: a put that renames into place only when the stream ends cleanly. */
export type PutOutput = (kind: OutputKind, stream: Readable) => Promise<unknown>;

export interface CleanseSettings {
  mode: 'suppress' | 'flag';
  dedupe: boolean;
  keepUnreadable: boolean;
  mapping: ColumnMapping;
  maxRecordBytes?: number;
}

export interface PreparedList {
  header: ListHeader;
  columns: AddressColumns;
}

export interface CleanseOutcome {
  counts: RangeCounts;
  cleansed: { sha256: string; bytes: number };
  discards: { sha256: string; bytes: number };
}

/**
 * Reads the header and finds the address columns; bad input throws ListInputError. `encoding`:
 * the list's, decided on the whole file (list-encoding.ts); without it the whole file is read here.
 */
export async function prepareList(source: ListSource, mapping: ColumnMapping, encoding?: ListEncoding): Promise<PreparedList> {
  const header = await readListHeader(source, encoding);
  return { header, columns: findAddressColumns(header.fields, mapping) };
}

/** The bytes that open the cleansed file: the input's own header (plus the flag columns). */
export function cleansedPreamble(header: ListHeader, mode: CleanseSettings['mode']): Buffer {
  if (mode === 'suppress') return Buffer.concat([header.prefix, header.terminator]);
  const d = header.dialect.delimiter;
  const terminator = header.terminator.length > 0 ? header.terminator : encode('\r\n', header.dialect.encoding);
  return Buffer.concat([header.prefix, encode(`${d}mailpref_status${d}mailpref_reason`, header.dialect.encoding), terminator]);
}

export function discardsPreamble(header: ListHeader): Buffer {
  return Buffer.from(stringify([[...DISCARD_COLUMNS, ...header.fields]]), 'utf8');
}

/**
 * Writes a cleansed file and a discard report through `put`, from a preamble and a body that
 * fills both sinks. Any failure destroys both streams so neither file appears.
 */
export async function writeOutputs<T>(
  put: PutOutput,
  preambles: { cleansed: Buffer; discards: Buffer },
  body: (cleansed: ByteSink, discards: ByteSink) => Promise<T>,
  options = { hash: true },
): Promise<{ result: T; cleansed: ByteSink; discards: ByteSink }> {
  const cleansed = new ByteSink(options);
  const discards = new ByteSink(options);
  const puts = Promise.all([put('cleansed', cleansed.stream), put('discards', discards.stream)]);
  puts.catch(() => undefined);
  try {
    await cleansed.write(preambles.cleansed);
    await discards.write(preambles.discards);
    const result = await body(cleansed, discards);
    cleansed.end();
    discards.end();
    await puts;
    return { result, cleansed, discards };
  } catch (error) {
    cleansed.fail(error as Error);
    discards.fail(error as Error);
    await puts.catch(() => undefined);
    throw error;
  }
}

/** Cleanses a whole list in one pass (the CLI, and lists too small to be worth splitting). */
export async function cleanseWhole(
  source: ListSource,
  prepared: PreparedList,
  settings: CleanseSettings,
  sets: { refused: KeyHashTable; seen?: KeyHashTable; recorded?: RecordedKeys },
  put: PutOutput,
  onProgress?: (rows: number, bytes: number) => void,
): Promise<CleanseOutcome> {
  const { header } = prepared;
  const { result, cleansed, discards } = await writeOutputs(
    put,
    { cleansed: cleansedPreamble(header, settings.mode), discards: discardsPreamble(header) },
    (cleansedSink, discardsSink) =>
      cleanseRange(
        source.open({ start: header.dataStart, end: source.size }),
        {
          ...rowsOptions(prepared, { start: header.dataStart, firstLine: header.firstDataLine }, settings, onProgress),
          keys: sets.recorded && { mode: 'replay', recorded: sets.recorded },
          refused: sets.refused,
          seen: sets.seen,
          mode: settings.mode,
          keepUnreadable: settings.keepUnreadable,
        },
        cleansedSink,
        discardsSink,
      ),
  );
  checkAccounting(result);
  return { counts: result, cleansed: { sha256: cleansed.digest(), bytes: cleansed.bytes }, discards: { sha256: discards.digest(), bytes: discards.bytes } };
}

/** rows in = kept + discarded, or the job fails loudly (principle 2: nothing is lost). */
export function checkAccounting(counts: RangeCounts): void {
  const discarded = Object.values(counts.discarded).reduce((a, b) => a + b, 0);
  if (counts.rowsIn === 0) {
    throw new ListInputError('The list has a header row but no data rows', 'NO_ROWS');
  }
  if (counts.rowsIn !== counts.kept + discarded) {
    throw new Error(`Accounting check failed: ${counts.rowsIn} rows in, but ${counts.kept} kept + ${discarded} discarded = ${counts.kept + discarded}`);
  }
}

/**
 * Splits the data rows into byte ranges of about chunkBytes, each starting at a record boundary.
 * `cut`, when given, is told the chunks found so far each time the split has found more (all but
 * the last, which only the end of the list ends), so that they can be cleansed while it goes on.
 */
export async function splitIntoChunks(
  source: ListSource,
  prepared: PreparedList,
  chunkBytes: number,
  options: { maxRecordBytes?: number; cut?: (chunks: readonly ListChunk[]) => Promise<void> } = {},
): Promise<ListChunk[]> {
  const { maxRecordBytes, cut } = options;
  const { header } = prepared;
  const finder = new ChunkBoundaryFinder(
    {
      delimiter: header.dialect.delimiter.charCodeAt(0),
      unitWidth: header.dialect.unitWidth,
      littleEndian: header.dialect.littleEndian,
      expectedFields: header.fields.length,
      firstLine: header.firstDataLine,
      firstOffset: header.dataStart,
      maxRecordBytes,
    },
    chunkBytes,
  );
  let told = 0;
  for await (const chunk of source.open({ start: header.dataStart, end: source.size })) {
    finder.push(chunk);
    if (cut && finder.chunks.length > told) {
      told = finder.chunks.length;
      await cut(finder.chunks);
    }
  }
  return finder.end();
}

/**
 * How to read the rows of a range that starts at `start` on line `firstLine` (the data after the
 * header, or one chunk): the walk that the cleanse and a chunk's key pass share.
 */
export function rowsOptions(prepared: PreparedList, range: { start: number; firstLine: number }, settings: CleanseSettings, onProgress?: (rows: number, bytes: number) => void): RangeRowsOptions {
  const { header, columns } = prepared;
  return {
    dialect: header.dialect,
    headerFields: header.fields,
    columns,
    firstLine: range.firstLine,
    firstOffset: range.start,
    maxRecordBytes: settings.maxRecordBytes,
    onProgress,
  };
}

/**
 * Cleanses one chunk into part files (no preambles); the merge puts them together in order. A
 * de-duplicated list's chunks get the list's first-occurrence index (first-lines.ts). With
 * `keptRanges` (suppress mode), the cleansed part is streamed as the byte ranges of the list that
 * its kept rows fill, for FileStorage.putRanges, instead of as their bytes.
 */
export async function cleanseChunk(
  source: ListSource,
  prepared: PreparedList,
  chunk: ListChunk,
  settings: CleanseSettings,
  sets: { refused: KeyHashTable; firstLines?: KeyHashTable; recorded?: RecordedKeys },
  put: PutOutput,
  onProgress?: (rows: number, bytes: number) => void,
  keptRanges = false,
): Promise<RangeCounts> {
  const { result } = await writeOutputs(put, { cleansed: Buffer.alloc(0), discards: Buffer.alloc(0) }, (cleansed, discards) =>
    cleanseRange(
      source.open({ start: chunk.start, end: chunk.end }),
      {
        ...rowsOptions(prepared, chunk, settings, onProgress),
        keys: sets.recorded && { mode: 'replay', recorded: sets.recorded },
        refused: sets.refused,
        firstLines: sets.firstLines,
        mode: settings.mode,
        keepUnreadable: settings.keepUnreadable,
        keptRanges,
      },
      cleansed,
      discards,
    ),
    { hash: false }, // parts are hashed when merged
  );
  return result;
}

/** Where a merge finds and puts things: the chunks' parts, the preambles' pieces, the outputs. */
export interface MergeKeys {
  part(index: number, kind: OutputKind): string;
  preamble(kind: OutputKind): string;
  output(kind: OutputKind): string;
}

/** An output's SHA-256 and size. */
export interface OutputHash {
  sha256: string;
  bytes: number;
}

export const OUTPUT_KINDS: readonly OutputKind[] = ['cleansed', 'discards'];

/** What the hash job found: both outputs' SHA-256 and size, and how many chunks' parts made them. */
export type ChunkHashes = Record<OutputKind, OutputHash> & { chunks: number };

/**
 * Hashes the outputs of a chunked job: each one's preamble, then the chunks' part files in list
 * order, each part as soon as `part` hands it over (the hash job waits for the chunk to have
 * written it), until `part` says there is no such chunk. SHA-256 must see the bytes in order and
 * its state cannot pass from one process to another, so one job hashes a list's outputs while its
 * chunks are still running, and the merge has only to compose them.
 */
export async function hashChunkOutputs(
  prepared: PreparedList,
  settings: CleanseSettings,
  part: (index: number, kind: OutputKind) => Promise<AsyncIterable<Buffer> | undefined>,
): Promise<ChunkHashes> {
  const preambles: Record<OutputKind, Buffer> = { cleansed: cleansedPreamble(prepared.header, settings.mode), discards: discardsPreamble(prepared.header) };
  const hashes = { cleansed: createHash('sha256'), discards: createHash('sha256') };
  const bytes: Record<OutputKind, number> = { cleansed: 0, discards: 0 };
  const add = (kind: OutputKind, block: Buffer) => {
    hashes[kind].update(block);
    bytes[kind] += block.length;
  };
  for (const kind of OUTPUT_KINDS) add(kind, preambles[kind]);
  let chunks = 0;
  for (;;) {
    const cleansed = await part(chunks, 'cleansed');
    if (!cleansed) break;
    for await (const block of cleansed) add('cleansed', block);
    const discards = await part(chunks, 'discards');
    if (!discards) throw new Error(`chunk ${chunks + 1} has a cleansed part but no discards part`);
    for await (const block of discards) add('discards', block);
    chunks++;
  }
  return {
    cleansed: { sha256: hashes.cleansed.digest('hex'), bytes: bytes.cleansed },
    discards: { sha256: hashes.discards.digest('hex'), bytes: bytes.discards },
    chunks,
  };
}

/**
 * Puts each output together from its preamble and the chunks' part files, in order, without
 * copying them (FileStorage.compose). `hashes` are what hashChunkOutputs read of the same pieces;
 * a composed size that differs from it means a part changed in between, and the merge fails.
 */
export async function mergeChunks(
  prepared: PreparedList,
  settings: CleanseSettings,
  parts: { index: number; counts: RangeCounts }[],
  hashes: Record<OutputKind, OutputHash>,
  storage: Pick<FileStorage, 'put' | 'compose'>,
  keys: MergeKeys,
): Promise<CleanseOutcome> {
  const { header } = prepared;
  const counts = parts.reduce((total, part) => addCounts(total, part.counts), emptyCounts());
  checkAccounting(counts);
  const merge = async (kind: OutputKind, preamble: Buffer) => {
    await storage.put(keys.preamble(kind), Readable.from([preamble]));
    const composed = await storage.compose(keys.output(kind), [keys.preamble(kind), ...parts.map((part) => keys.part(part.index, kind))]);
    if (composed.bytes !== hashes[kind].bytes) throw new Error(`the parts of the ${kind} file changed after they were hashed (${hashes[kind].bytes} bytes hashed, ${composed.bytes} composed)`);
    return hashes[kind];
  };
  const [cleansed, discards] = await Promise.all([merge('cleansed', cleansedPreamble(header, settings.mode)), merge('discards', discardsPreamble(header))]);
  return { counts, cleansed, discards };
}
