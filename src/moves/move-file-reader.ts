import type { Readable } from 'node:stream';
import { deliveryPointKey, type KeyResult } from '../address/delivery-point-key';
import { checkSoleColumn, readCsvRecords } from '../lists/cleanse';
import { InputError } from '../lib/errors';

/** The columns of a change-of-address file; each accepts a few common spellings. */
const COLUMNS = {
  oldAddress1: ['old_address1', 'old_address', 'old_street', 'old_address_1', 'from_address1', 'from_address'],
  oldAddress2: ['old_address2', 'old_apt', 'old_unit', 'old_address_2', 'from_address2'],
  oldCity: ['old_city', 'from_city'],
  oldState: ['old_state', 'from_state'],
  oldZip: ['old_zip', 'old_zipcode', 'old_postal_code', 'from_zip'],
  newAddress1: ['new_address1', 'new_address', 'new_street', 'new_address_1', 'to_address1', 'to_address'],
  newAddress2: ['new_address2', 'new_apt', 'new_unit', 'new_address_2', 'to_address2'],
  newCity: ['new_city', 'to_city'],
  newState: ['new_state', 'to_state'],
  newZip: ['new_zip', 'new_zipcode', 'new_postal_code', 'to_zip'],
  moveDate: ['move_date', 'moved_on', 'date'],
  moveType: ['move_type', 'type'],
  choicesFollow: ['choices_follow', 'follow', 'carry_choices', 'choices_move'],
} as const;

type Column = keyof typeof COLUMNS;
const REQUIRED: Column[] = ['oldAddress1', 'newAddress1', 'moveDate', 'moveType', 'choicesFollow'];

export type MoveRejectReason = 'MALFORMED_ROW' | 'OLD_ADDRESS_UNREADABLE' | 'NEW_ADDRESS_UNREADABLE' | 'BAD_MOVE_DATE' | 'BAD_MOVE_TYPE' | 'BAD_CHOICES_FOLLOW';

export interface MoveRow {
  line: number;
  fields: string[];
  oldKey: Extract<KeyResult, { ok: true }>;
  newKey: Extract<KeyResult, { ok: true }> | undefined;
  moveDate: string;
  moveType: 'individual' | 'family';
  choicesFollow: boolean;
}

export interface MoveReject {
  line: number;
  fields: string[];
  reason: MoveRejectReason;
  message: string;
}

export type MoveFileItem = { ok: true; row: MoveRow } | { ok: false; reject: MoveReject };

/** Thrown when the file as a whole cannot be read (no header, missing columns). */
export class MoveFileError extends InputError {}

function normaliseHeader(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

function mapHeader(header: string[]): Record<Column, number | undefined> {
  const names = header.map(normaliseHeader);
  const map = {} as Record<Column, number | undefined>;
  for (const [column, aliases] of Object.entries(COLUMNS) as [Column, readonly string[]][]) {
    const index = names.findIndex((name) => aliases.includes(name));
    if (index >= 0) checkSoleColumn(header, index);
    map[column] = index === -1 ? undefined : index;
  }
  const missing = REQUIRED.filter((column) => map[column] === undefined).map((column) => COLUMNS[column][0]);
  if (missing.length > 0) {
    throw new MoveFileError(`The file's header has no ${missing.join(', ')} column${missing.length > 1 ? 's' : ''} (found: ${names.join(', ') || 'nothing'})`);
  }
  return map;
}

function validDate(value: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!match) return undefined;
  const date = new Date(`${match[0]}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === match[0] ? match[0] : undefined;
}

const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0', '']);

/** Reads a change-of-address CSV row by row (the imports' one record reader); every data row comes out as a move or a reject. */
export async function* readMoveFile(source: Readable): AsyncGenerator<MoveFileItem> {
  let map: Record<Column, number | undefined> | undefined;
  let width = 0;
  for await (const record of readCsvRecords(source)) {
    if (!map) {
      if (record.malformed !== undefined) throw new MoveFileError(`line ${record.line}: the header row cannot be read (${record.malformed})`);
      map = mapHeader(record.values);
      width = record.values.length;
      continue;
    }
    if (record.malformed !== undefined) {
      yield { ok: false, reject: { line: record.line, fields: [record.raw], reason: 'MALFORMED_ROW', message: record.malformed } };
      continue;
    }
    yield readRow(record.values, record.line, map, width);
  }
  if (!map) throw new MoveFileError('The file is empty: it needs a header row and one row per move');
}

function readRow(fields: string[], line: number, map: Record<Column, number | undefined>, width: number): MoveFileItem {
  const get = (column: Column) => (map[column] === undefined ? '' : (fields[map[column]!] ?? '').trim());
  const reject = (reason: MoveRejectReason, message: string): MoveFileItem => ({ ok: false, reject: { line, fields, reason, message } });
  if (fields.length !== width) return reject('MALFORMED_ROW', `the row has ${fields.length} fields; the header has ${width}`);
  const oldKey = deliveryPointKey({ address1: get('oldAddress1'), address2: get('oldAddress2'), city: get('oldCity'), state: get('oldState'), zip: get('oldZip') });
  if (!oldKey.ok) return reject('OLD_ADDRESS_UNREADABLE', `old address: ${oldKey.message}`);
  const moveDate = validDate(get('moveDate'));
  if (!moveDate) return reject('BAD_MOVE_DATE', `move_date "${get('moveDate')}" is not a date written YYYY-MM-DD`);
  const type = get('moveType').toLowerCase();
  const moveType = type === 'family' || type === 'f' ? 'family' : type === 'individual' || type === 'i' ? 'individual' : undefined;
  if (!moveType) return reject('BAD_MOVE_TYPE', `move_type "${get('moveType')}" must be individual or family`);
  const follow = get('choicesFollow').toLowerCase();
  if (!YES.has(follow) && !NO.has(follow)) return reject('BAD_CHOICES_FOLLOW', `choices_follow "${get('choicesFollow')}" must be yes or no`);
  const choicesFollow = YES.has(follow);
  // The new address is needed only when the choices follow; otherwise it is kept when readable.
  const newResult = deliveryPointKey({ address1: get('newAddress1'), address2: get('newAddress2'), city: get('newCity'), state: get('newState'), zip: get('newZip') });
  if (choicesFollow && !newResult.ok) {
    return reject('NEW_ADDRESS_UNREADABLE', `new address: ${newResult.message} (needed because the choices follow the household)`);
  }
  const newKey = newResult.ok ? newResult : undefined;
  return { ok: true, row: { line, fields, oldKey, newKey, moveDate, moveType, choicesFollow } };
}
