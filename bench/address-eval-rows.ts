/**
 * The rows of the address evaluation (test/fixtures/address-eval/*.csv): how they are read and
 * written, and how a delivery point is named from a source's own labelled parts. The naming is
 * deliberately independent of src/address (upper case, punctuation out, a short table of long
 * forms), so that the evaluation does not grade mailpref against itself.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import STREET_TYPES from 'addresser/data/us-street-types.json';
import STATES from 'addresser/data/us-states.json';

export type Shape = 'fielded' | 'fielded-city-in-address1' | 'one-line';

export interface EvalRow {
  source: string;
  /** The delivery point the row is one spelling of; rows with one point are one group. */
  point: string;
  shape: Shape;
  address1: string;
  address2: string;
  city: string;
  state: string;
  zip: string;
  /** The whole address on one line (shape one-line), '' otherwise. */
  address: string;
}

/** A source's labelled parts of one address. */
export interface Parts {
  number: string;
  prefix: string;
  street: string;
  type: string;
  suffix: string;
  unitType: string;
  unitNumber: string;
  city: string;
  state: string;
  zip: string;
}

/**
 * Long forms and their short ones: directionals, and street types from addresser's table
 * (addresser/data/us-street-types.json, MIT; a devDependency), applied to every street word so
 * that two spellings of one name meet (FALLS and FLS, ROUTE and RTE).
 */
const LONG_FORMS: ReadonlyMap<string, string> = new Map([
  ...Object.entries(STREET_TYPES).map(([long, short]): [string, string] => [long.toUpperCase(), short.toUpperCase()]),
  ['NORTH', 'N'], ['SOUTH', 'S'], ['EAST', 'E'], ['WEST', 'W'], ['NORTHEAST', 'NE'], ['NORTHWEST', 'NW'], ['SOUTHEAST', 'SE'], ['SOUTHWEST', 'SW'],
]);

const US_STATES: ReadonlySet<string> = new Set(Object.values(STATES));

const UNIT_CLASSES: ReadonlyMap<string, string> = new Map([
  ['', '#'], ['#', '#'], ['APT', '#'], ['APARTMENT', '#'], ['UNIT', '#'], ['STE', '#'], ['SUITE', '#'], ['NO', '#'],
  ['FLOOR', 'FL'], ['FL', 'FL'], ['FLR', 'FL'], ['BUILDING', 'BLDG'], ['BLDG', 'BLDG'], ['ROOM', 'RM'], ['RM', 'RM'], ['LOT', 'LOT'],
]);

function words(text: string): string[] {
  return text.toUpperCase().replace(/[.,]/g, ' ').split(/\s+/).filter(Boolean);
}

function shortForm(text: string): string {
  return words(text).map((word) => LONG_FORMS.get(word) ?? word).join(' ');
}

/** The delivery point named by a source's parts, or undefined when they do not name one (no number, street or locality; not in the US). */
export function pointOf(parts: Parts): string | undefined {
  const state = words(parts.state).join(' ');
  if (!parts.number.trim() || !parts.street.trim()) return undefined;
  const zip = /^\d{5}/.exec(parts.zip.trim())?.[0] ?? '';
  if (zip === '' && (!parts.city.trim() || !US_STATES.has(state))) return undefined;
  if (state !== '' && !US_STATES.has(state)) return undefined;
  const street = shortForm([parts.number, parts.prefix, parts.street, parts.type, parts.suffix].join(' '));
  const unitNumber = words(parts.unitNumber).join('').replace(/^#/, '');
  const unit = unitNumber === '' ? '' : ` ${UNIT_CLASSES.get(words(parts.unitType).join(' ')) ?? words(parts.unitType).join(' ')} ${unitNumber}`;
  return `${street}${unit}|${zip || `${words(parts.city).join(' ')}|${state}`}`;
}

const COLUMNS = ['source', 'point', 'shape', 'address1', 'address2', 'city', 'state', 'zip', 'address'] as const;

function csvField(value: string): string {
  return /[",\r\n#]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvRow(row: EvalRow): string {
  return COLUMNS.map((column) => csvField(row[column])).join(',');
}

/** The rows of one evaluation file: `#` lines are comments, then a header naming the columns. */
export function readEvalRows(file: string): EvalRow[] {
  return readCsv(file) as unknown as EvalRow[];
}

/** A CSV file with a header row, `#` lines being comments. */
export function readCsv(file: string): Array<Record<string, string>> {
  return parse(readFileSync(file, 'utf8'), { columns: true, comment: '#', comment_no_infix: true, skip_empty_lines: true }) as Array<Record<string, string>>;
}

export const EVAL_DIR = join(__dirname, '..', 'test', 'fixtures', 'address-eval');
