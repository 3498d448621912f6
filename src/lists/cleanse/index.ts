/**
 * The cleanse engine's public face: a byte-level pass over a mailer's list that keeps the rows of
 * households that did not refuse, reports the rest, and can split a large list into chunks merged
 * back in order. It reads and writes through a FileStorage-like source and sink and knows only
 * address/; the job orchestration (lists/jobs/) and the web (lists/web/) use it from here.
 */
export { ADDRESS_FIELDS, checkSoleColumn, findAddressColumns, parseColumnMapping, type AddressField, type ColumnMapping } from './address-columns';
export type { ListChunk } from './chunk-boundary-finder';
export { DISCARD_REASONS, type RangeCounts } from './cleanse-range';
export { ByteBuilder } from './byte-builder';
export type { RawRecord } from './csv-record-splitter';
export { asBadRequest, csvSlices, CsvRecordReader, findColumn, readCsvRecords, recordField, recordSpan, simplifyHeader, type CsvRecord, type RawRecordHandler } from './csv-records';
export { csvField } from './list-dialect';
export { firstLinesOfChunk, indexFirstLines } from './first-lines';
export { KeyHashTable } from './key-hash-table';
export { refusalsOfRange, LOOKUP_BATCH_KEYS, type KeyBatch, type RangeRefusals, type RefusalLookup } from './range-refusals';
export { RecordedKeys } from './range-rows';
export {
  cleanseChunk,
  cleanseWhole,
  hashChunkOutputs,
  mergeChunks,
  prepareList,
  splitIntoChunks,
  type ChunkHashes,
  type CleanseOutcome,
  type CleanseSettings,
  type MergeKeys,
  type OutputKind,
  type PreparedList,
  type PutOutput,
} from './list-cleanser';
export { DELIMITER_NAMES, ListInputError } from './list-dialect';
export { EncodingScan, scanListEncoding, type ListEncoding } from './list-encoding';
export { readListHeader, type ListSource } from './list-header';
export { buildSummary, formatSummary, inReadingOrder, type ListSummary } from './list-summary';
