/**
 * The delivery-point key: one canonical string per USPS delivery point (Publication 28), so that
 * every way of writing one address finds the same household's choices, and two households never
 * share one.
 *
 *   123 N MAIN ST # 4B|02134        street, unit (APT/UNIT/STE/# share `#`), ZIP5
 *   PO BOX 12|99501                 RR 2 BOX 15|…   HC 1 BOX 20|…
 *   123 MAIN ST|SPRINGFIELD|IL      city and state only when there is no ZIP
 *
 * The exported types and function signature are the contract the rest of the code relies on;
 * fields may be added, never removed.
 */
import { failure, isFailure, type AddressFailure, type AddressStatus } from './address-status';
import { boxLineText, boxRouteText } from './box-address-parser';
import { readDeliveryLine, type DeliveryLine } from './delivery-line-reader';
import { parseAddressLine, withoutCityInAddress1 } from './address-line-parser';
import { cityName, stateCode } from './locality';
import { beginKeyHash, endKeyHash, hashKeyText, type KeyHash } from './key-hash';
import { readZip5 } from './zip-code';

export type { AddressStatus, AddressFailureReason } from './address-status';

export interface AddressInput {
  address1?: string;
  address2?: string;
  city?: string;
  state?: string;
  zip?: string;
  zip4?: string;
}

export interface AddressComponents {
  /** The canonical first address line, e.g. `123 N MAIN ST APT 4B` or `PO BOX 12`. */
  line: string;
  city: string;
  state: string;
  zip5: string;
  /** What kind of delivery line it is. */
  kind?: DeliveryLine['kind'];
  /** House number (`101 1/2`, `123-45`), or the box number of a box line. */
  primaryNumber?: string;
  preDirectional?: string;
  /** Street name (`5TH`, `SAINT CHARLES`, `COUNTY ROAD 24`), or the route of a box line (`RR 2`). */
  streetName?: string;
  /** Pub 28 C1 standard suffix abbreviation (`AVE`). */
  suffix?: string;
  postDirectional?: string;
  /** Secondary units as printed (`APT 4B`, `BLDG 3 FL 2`), '' when none. */
  secondary?: string;
}

export type KeyResult =
  | { ok: true; key: string; components: AddressComponents }
  | { ok: false; reason: Exclude<AddressStatus, 'OK'>; message: string };

/** Whether `field?.trim()` would be non-empty, told without making the string for ASCII text. */
function hasText(field: string | undefined): boolean {
  if (field === undefined) return false;
  for (let i = 0; i < field.length; i++) {
    const c = field.charCodeAt(i);
    if (c > 32 && c < 127) return true;
    if (c !== 32 && (c < 9 || c > 13)) return field.trim() !== ''; // control or non-ASCII: trim's own rules
  }
  return false;
}

/** A whole address typed into address1 (`123 Main St, Boston, MA 02134`) with no other field. */
function isWholeAddressInAddress1(input: AddressInput): boolean {
  if (hasText(input.zip) || hasText(input.city) || hasText(input.state) || hasText(input.address2)) return false;
  const text = input.address1?.trimEnd() ?? '';
  return text.includes(',') || endsWithZip(text);
}

/** `… 62701` or `… 62701-1234` at the end of a line. */
function endsWithZip(text: string): boolean {
  let digits = 0;
  let i = text.length - 1;
  for (; i >= 0 && digits <= 9; i--) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c !== 45) break;
  }
  return (digits === 5 || digits === 9) && i > 0 && text.charCodeAt(i) === 32;
}

/**
 * The delivery line, state and ZIP5 of an address (the city is read only where it is needed), or
 * why not; `input` is the address as read, split first when it was all typed into address1.
 */
function readAddress(given: AddressInput): { input: AddressInput; line: DeliveryLine; state: string; zip5: string } | AddressFailure {
  let input = given;
  if (isWholeAddressInAddress1(given)) {
    const parsed = parseAddressLine(given.address1!);
    if (parsed.ok && (parsed.input.zip || parsed.input.state)) input = parsed.input;
    // the street cannot be told from the city: reading the whole line as a street would key the city in
    else if (!parsed.ok && parsed.reason === 'AMBIGUOUS') return parsed;
  } else {
    // the city typed into address1 as well (`418 W Elm St Springfield`, city Springfield)
    const stripped = withoutCityInAddress1(given);
    if (isFailure(stripped)) return stripped;
    input = stripped;
  }
  const line = readDeliveryLine(input.address1, input.address2);
  if (isFailure(line)) return line;
  const state = stateCode(input.state);
  const zip5 = readZip5(input.zip, state);
  if (typeof zip5 !== 'string') return zip5;
  return { input, line, state, zip5 };
}

/** With no ZIP, the key needs city and state; this is why there is no key without them. */
function noLocality(input: AddressInput, city: string, state: string): AddressFailure {
  const missing = city === '' && state === '' ? 'city and state' : city === '' ? 'city' : input.state?.trim() ? `a state code (not "${input.state.trim()}")` : 'state';
  return failure('NO_LOCALITY', `no ZIP code, and no ${missing}`);
}

/** Where the pieces of a key (or of a street line) go: joined into text, folded into the key's hash, or written out as bytes. */
export interface KeyPieces {
  add(piece: string): void;
}

class KeyTextPieces implements KeyPieces {
  text = '';
  add(piece: string): void {
    this.text += piece;
  }
}

const keyHashPieces: KeyPieces = { add: (piece) => hashKeyText(piece) };

/** A street line's words (`123 N MAIN ST SW`), piece by piece: in the key and in the components' line. */
function writeStreet(line: DeliveryLine & { kind: 'street' }, out: KeyPieces): void {
  out.add(line.primaryNumber);
  if (line.preDirectional) {
    out.add(' ');
    out.add(line.preDirectional);
  }
  out.add(' ');
  out.add(line.streetName);
  if (line.suffix) {
    out.add(' ');
    out.add(line.suffix);
  }
  if (line.postDirectional) {
    out.add(' ');
    out.add(line.postDirectional);
  }
}

function streetText(line: DeliveryLine & { kind: 'street' }): string {
  const pieces = new KeyTextPieces();
  writeStreet(line, pieces);
  return pieces.text;
}

/**
 * The secondary units, each after a space: in the key with their key forms (APT, UNIT, STE and #
 * are all `#`), in the components as printed (`APT 4B`).
 */
function writeUnits(line: DeliveryLine, out: KeyPieces, printed: boolean): void {
  for (const unit of line.units) {
    out.add(' ');
    out.add(printed ? unit.designator.abbreviation : unit.designator.keyForm);
    if (unit.value !== '') {
      out.add(' ');
      out.add(unit.value);
    }
  }
}

/** The secondary units as printed (`APT 4B`), '' when none. */
function unitsText(line: DeliveryLine): string {
  const pieces = new KeyTextPieces();
  writeUnits(line, pieces, true);
  return pieces.text.slice(1);
}

/** The key, piece by piece: the one place that says what a key is made of, for its text and its hash. */
function writeKey(line: DeliveryLine, zip5: string, city: string, state: string, out: KeyPieces): void {
  if (line.kind === 'street') writeStreet(line, out);
  else out.add(boxLineText(line));
  writeUnits(line, out, false);
  out.add('|');
  if (zip5 !== '') {
    out.add(zip5);
  } else {
    out.add(city);
    out.add('|');
    out.add(state);
  }
}

function keyText(line: DeliveryLine, zip5: string, city: string, state: string): string {
  const pieces = new KeyTextPieces();
  writeKey(line, zip5, city, state, pieces);
  return pieces.text;
}

export function deliveryPointKey(given: AddressInput): KeyResult {
  const read = readAddress(given);
  if (isFailure(read)) return read;
  const { input, line, state, zip5 } = read;
  const city = cityName(input.city);
  if (zip5 === '' && (city === '' || state === '')) return noLocality(input, city, state);

  const base = line.kind === 'street' ? streetText(line) : boxLineText(line);
  const secondary = line.units.length > 0 ? unitsText(line) : '';
  const street = line.kind === 'street';
  return {
    ok: true,
    key: keyText(line, zip5, city, state),
    components: {
      line: secondary === '' ? base : base + ' ' + secondary,
      city,
      state,
      zip5,
      kind: line.kind,
      primaryNumber: street ? line.primaryNumber : line.box,
      preDirectional: street ? line.preDirectional : '',
      streetName: street ? line.streetName : boxRouteText(line),
      suffix: street ? line.suffix : '',
      postDirectional: street ? line.postDirectional : '',
      secondary,
    },
  };
}

/** What deliveryPointKeyHash gives for an address with a key: its hash is in the `out` passed. */
export const KEY_HASHED = { ok: true } as const;
export type KeyHashResult = typeof KEY_HASHED | { ok: false; reason: Exclude<AddressStatus, 'OK'>; message: string };

/**
 * The same key or failure as deliveryPointKey, but with the key's hash (key-hash.ts) written
 * into `out` instead of its text, and without the components: what a list cleanse looks up for
 * every row. The key's text is never put together, and the city is not even read when there is
 * a ZIP code.
 */
export function deliveryPointKeyHash(given: AddressInput, out: KeyHash): KeyHashResult {
  beginKeyHash();
  const failed = writeDeliveryPointKey(given, keyHashPieces);
  if (failed) return failed;
  endKeyHash(out);
  return KEY_HASHED;
}

/**
 * The same key or failure as deliveryPointKey, the key's text given to `out` piece by piece
 * instead of as one string, and without the components (undefined when there is a key): what
 * `mailpref address-key` writes for every row, its pieces going straight into the output's bytes
 * (a key joined into one string is a chain of pieces that V8 would first have to flatten).
 */
export function writeDeliveryPointKey(given: AddressInput, out: KeyPieces): AddressFailure | undefined {
  const read = readAddress(given);
  if (isFailure(read)) return read;
  const { input, line, state, zip5 } = read;
  let city = '';
  if (zip5 === '') {
    city = cityName(input.city);
    if (city === '' || state === '') return noLocality(input, city, state);
  }
  writeKey(line, zip5, city, state, out);
  return undefined;
}

/** The delivery-point key of one free-text address line (`123 Main St Apt 4, Boston, MA 02134`). */
export function addressLineKey(text: string): KeyResult {
  const parsed = parseAddressLine(text);
  return parsed.ok ? deliveryPointKey(parsed.input) : parsed;
}

/** writeDeliveryPointKey for one free-text address line. */
export function writeAddressLineKey(text: string, out: KeyPieces): AddressFailure | undefined {
  const parsed = parseAddressLine(text);
  return parsed.ok ? writeDeliveryPointKey(parsed.input, out) : parsed;
}
