/**
 * One free-text address line, as lists with a single `address` column carry it:
 * `123 N Main St Apt 4B, Boston, MA 02134`. Split into address1 / city / state / zip, then keyed
 * like any other row.
 *
 * Read from the end, as a carrier reads the last line (Pub 28 §224): a country (USA, United
 * States) is dropped wherever it stands after the street; then the ZIP; then the state; then a
 * county between the city and the state (`Sangamon County`). The city is the comma-separated part
 * before them, or, where no comma separates it from the street, the longest run of words at the
 * end that is a place name of the ZIP code (place-names.ts), or of the state when there is no
 * ZIP. When that cannot be told for certain — two readings that give two different streets, a
 * city word that could end the street (`123 Main St Louis`), an unknown city after a directional —
 * the line gets AMBIGUOUS: a city read as part of the street, or a street word read as the city,
 * gives a wrong key, which is worse than none.
 */
import { failure, isFailure, type AddressFailure } from './address-status';
import { tokenize, WordList } from './address-tokenizer';
import { WORDS } from './address-words';
import { hasDigit } from './characters';
import { readBoxLine } from './box-address-parser';
import { PLACE_PART_WORDS, readDeliveryLine } from './delivery-line-reader';
import type { AddressInput } from './delivery-point-key';
import { isStatePlaceName, MAX_PLACE_WORDS, placeName, placeWord, zipPlaceNames, zipState } from './place-names';
import { stateCode } from './locality';
import { isUnitValue } from './secondary-unit-parser';
import { isPrimaryNumber } from './street-address-parser';
import { MAX_STATE_WORDS, STATE_CODES } from './us-states';
import { readZip5 } from './zip-code';

export type AddressLineResult = { ok: true; input: AddressInput } | AddressFailure;

const COUNTRY_WORDS = [['USA'], ['US'], ['U', 'S', 'A'], ['UNITED', 'STATES'], ['UNITED', 'STATES', 'OF', 'AMERICA']];
const COUNTY_WORDS = new Set(['COUNTY', 'CNTY', 'PARISH', 'BOROUGH']);

function isZipWord(word: string, withState: boolean): boolean {
  let digits = 0;
  let hyphen = -1;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 45 && hyphen < 0) hyphen = i;
    else return false;
  }
  if (hyphen < 0) return digits === 5 || digits === 9 || (withState && (digits === 3 || digits === 4 || digits === 7 || digits === 8));
  return word.length - hyphen - 1 === 4 && (hyphen === 5 || (withState && (hyphen === 3 || hyphen === 4)));
}

function matchesAt(words: readonly string[], end: number, phrase: readonly string[]): boolean {
  if (phrase.length > end) return false;
  for (let k = 0; k < phrase.length; k++) if (words[end - phrase.length + k] !== phrase[k]) return false;
  return true;
}

/** How many words at the end of words[0..end) name a country (0 when none). */
function countryWordsAt(words: readonly string[], end: number): number {
  let longest = 0;
  for (const country of COUNTRY_WORDS) if (country.length > longest && matchesAt(words, end, country)) longest = country.length;
  return longest;
}

/** How many words at the end of words[0..end) name a state (0 when none). */
function stateWordsAt(words: readonly string[], end: number): number {
  for (let count = Math.min(MAX_STATE_WORDS, end); count >= 1; count--) {
    const code = STATE_CODES.get(words.slice(end - count, end).join(' '));
    if (code === undefined) continue;
    // WASHINGTON DC: a state's name, or its place and its code? The code alone when a place of
    // the state ends the words before it (the city would be lost otherwise)
    if (count > 1 && STATE_CODES.get(words[end - 1]!) === code && endsWithPlaceOf(code, words, end - 1)) return 1;
    return count;
  }
  return 0;
}

/** Whether words[0..end) end with a place name of `state`, leaving a street before it. */
function endsWithPlaceOf(state: string, words: readonly string[], end: number): boolean {
  for (let count = 1; count <= MAX_PLACE_WORDS && count <= end; count++) if (isStatePlaceName(state, placeName(words, end - count, end))) return true;
  return false;
}

/** `Sangamon County`, `Cook Co.`, `Orleans Parish`: a county part between the city and the state. */
function isCounty(words: readonly string[]): boolean {
  const last = words[words.length - 1]!;
  return words.length >= 2 && (COUNTY_WORDS.has(last) || last === 'CO') && !words.some(hasDigit);
}

/** Whether a comma-separated part can be the city: no digits, and not a unit or a box. */
function canBeCity(words: readonly string[]): boolean {
  const first = words[0]!;
  if (first === '#' || WORDS.get(first)?.unit || first === 'BOX' || first === 'PO') return false;
  return !words.some(hasDigit);
}

/** A street line reading of words[0..end) as a comparable text, or undefined when it is not one. */
function streetReading(words: readonly string[], end: number): string | undefined {
  const line = readDeliveryLine(words.slice(0, end).join(' '), undefined);
  return isFailure(line) ? undefined : JSON.stringify(line);
}

function isSuffixWord(word: string): boolean {
  return WORDS.get(word)?.suffix != null;
}

function isDirectional(word: string): boolean {
  return WORDS.get(word)?.directional != null;
}

/**
 * Where a city found in the place names begins in words[0..n), or a failure, or -1 when no
 * place name ends the words. `names` tells whether a canonical name is one.
 */
function cityByName(words: readonly string[], n: number, names: (name: string) => boolean, state: string): number | AddressFailure {
  const starts: number[] = [];
  for (let count = 1; count <= MAX_PLACE_WORDS && count <= n - 2; count++) if (names(placeName(words, n - count, n))) starts.push(n - count);
  if (starts.length === 0) return -1;
  const readings = new Set<string>();
  for (const start of starts) {
    const reading = streetReading(words, start);
    if (reading !== undefined) readings.add(reading);
    const before = words[start - 1]!;
    // 123 MAIN ST LOUIS: SAINT LOUIS, or MAIN ST in a city called LOUIS? (ST, FT, MT, PT are street suffixes too)
    const word = words[start]!;
    if (isSuffixWord(word) && placeWord(word) !== word && !isSuffixWord(before) && !isDirectional(before) && !hasDigit(before)) readings.add(`street ends ${word}`);
    // 123 MAIN ST E PALO ALTO: EAST PALO ALTO, or a post-directional? Known when the state has the
    // longer name; a directional spelled out (EAST) before a city is read as part of an unknown one
    if (isDirectional(before) && start - 1 >= 2 && (before.length > 2 || (state !== '' && isStatePlaceName(state, placeName(words, start - 1, n))))) {
      readings.add(`city begins ${before}`);
    }
  }
  // no reading at all: the street is unreadable whatever the city, and keying it will say why
  if (readings.size > 1) return ambiguous(words, n);
  return starts[starts.length - 1]!;
}

function ambiguous(words: readonly string[], n: number): AddressFailure {
  return failure('AMBIGUOUS', `cannot tell where the street ends and the city begins in "${words.slice(0, n).join(' ')}"; separate them with a comma`);
}

/**
 * Where the street ends in one comma-less run of words with no place name at its end: at a single
 * unambiguous suffix, its post-directional and units. -1 when that cannot be told.
 */
function streetEndBySuffix(words: readonly string[]): number {
  const n = words.length;
  let end = -1;
  for (let k = 2; k < n; k++) {
    if (!isSuffixWord(words[k]!)) continue;
    if (end >= 0) return -1; // two candidate suffixes: MAIN ST PARK CITY
    end = k + 1;
  }
  if (end < 0) return -1;
  // post-directional only when it ends the line (MAIN ST N ADAMS could be the city North Adams)
  if (end === n - 1 && isDirectional(words[end]!)) return n;
  // units after the suffix: APT 4B, # 4B, REAR
  while (end < n) {
    const word = words[end]!;
    const designator = word === '#' ? true : WORDS.get(word)?.unit;
    if (!designator) break;
    end++;
    while (end < n && (words[end] === '#' || isUnitValue(words[end]!))) end++;
  }
  // what is left is the city: a number or a directional there belongs to the street, so say so
  if (end < n && (isDirectional(words[end]!) || words.slice(end).some(hasDigit))) return -1;
  return end;
}

/** Where the street ends and the city begins in one comma-less run of words, or why that cannot be told. */
function streetEnd(words: readonly string[], zip5: string, state: string): number | AddressFailure {
  const n = words.length;
  if (n === 0) return 0;
  // PO BOX 12 / RR 2 BOX 15: the box number ends the line
  const box = words.indexOf('BOX');
  if (box >= 0 && box + 1 < n) {
    const line = readBoxLine(words, box + 2);
    if (line !== undefined && !isFailure(line)) return words.slice(box + 2).some(hasDigit) ? ambiguous(words, n) : box + 2;
  }
  const placeState = state || (zip5 ? zipState(zip5) : '');
  if (zip5 !== '') {
    const zipNames = zipPlaceNames(zip5);
    const byZip = cityByName(words, n, (name) => zipNames.includes(name), placeState);
    if (byZip !== -1) return byZip;
  }
  if (placeState !== '') {
    const byState = cityByName(words, n, (name) => isStatePlaceName(placeState, name), placeState);
    if (byState !== -1) return byState;
  }
  const bySuffix = streetEndBySuffix(words);
  return bySuffix < 0 ? ambiguous(words, n) : bySuffix;
}

function isLetterOrDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127;
}

/**
 * Whether address1 ends with the city field's last word (either case, punctuation after it
 * ignored), told without making a string: the cheap test every fielded row passes through before
 * the city is looked for in address1.
 */
function endsWithCityWord(address1: string, city: string): boolean {
  let i = address1.length - 1;
  let j = city.length - 1;
  while (i >= 0 && !isLetterOrDigit(address1.charCodeAt(i))) i--;
  while (j >= 0 && !isLetterOrDigit(city.charCodeAt(j))) j--;
  if (i < 0 || j < 0) return false;
  const lineEnd = i;
  const cityEnd = j;
  for (; j >= 0 && isLetterOrDigit(city.charCodeAt(j)); i--, j--) {
    if (i < 0 || (address1.charCodeAt(i) | 32) !== (city.charCodeAt(j) | 32)) return sameInitial(address1, lineEnd, city, cityEnd);
  }
  return i > 0 && !isLetterOrDigit(address1.charCodeAt(i));
}

/** Where the word ending at `end` starts. */
function wordStart(text: string, end: number): number {
  let start = end;
  while (start > 0 && isLetterOrDigit(text.charCodeAt(start - 1))) start--;
  return start;
}

/**
 * Whether two last words spelled differently are one place word (BCH and BEACH, HTS and
 * HEIGHTS): compared only when address1 has words before it and its word is the shorter, with
 * the city word's first and last letters (so `123 Main St` with `Springfield` makes no string).
 */
function sameInitial(address1: string, lineEnd: number, city: string, cityEnd: number): boolean {
  const lineStart = wordStart(address1, lineEnd);
  const cityStart = wordStart(city, cityEnd);
  if (lineStart === 0 || lineEnd - lineStart >= cityEnd - cityStart) return false;
  if ((address1.charCodeAt(lineStart) | 32) !== (city.charCodeAt(cityStart) | 32) || (address1.charCodeAt(lineEnd) | 32) !== (city.charCodeAt(cityEnd) | 32)) return false;
  return placeWord(address1.slice(lineStart, lineEnd + 1).toUpperCase()) === placeWord(city.slice(cityStart, cityEnd + 1).toUpperCase());
}

/** Whether a street line reading ends where a street ends: a suffix, a post-directional, a unit, a numbered road, a box. */
function hasStreetEnd(words: readonly string[], end: number): boolean {
  const line = readDeliveryLine(words.slice(0, end).join(' '), undefined);
  if (isFailure(line)) return false;
  return line.kind !== 'street' || line.suffix !== '' || line.postDirectional !== '' || line.units.length > 0 || hasDigit(line.streetName);
}

const cityWords = new WordList();
const lineWords = new WordList();

/**
 * A fielded address whose address1 runs into the city (`418 West Elm Street Springfield` with
 * `Springfield` in the city field, as people fill a form's street box): the city field says what
 * to take off the end of address1, compared in the place names' spelling (FT = FORT, E = EAST).
 * The same doubts as on one line make it AMBIGUOUS (a directional or a suffix word where the city
 * begins: `… Ave E Palo Alto` with `Palo Alto`, when the state has an East Palo Alto); so does a
 * street left without anything that ends a street (`45 Lake Forest` with `Forest` may be
 * Lake Forest's house 45). `input` itself when address1 does not end with the city.
 */
export function withoutCityInAddress1(input: AddressInput): AddressInput | AddressFailure {
  const address1 = input.address1;
  const city = input.city;
  if (address1 === undefined || city === undefined || !endsWithCityWord(address1, city)) return input;
  cityWords.count = 0;
  tokenize(city, cityWords);
  lineWords.count = 0;
  tokenize(address1, lineWords);
  const words = lineWords.words.slice(0, lineWords.count);
  const n = words.length;
  const count = cityWords.count;
  if (count === 0 || n - count < 2) return input;
  const name = placeName(cityWords.words, 0, count);
  if (placeName(words, n - count, n) !== name) return input;
  const state = stateCode(input.state);
  const zip5 = readZip5(input.zip, state);
  const placeState = state || (typeof zip5 === 'string' && zip5 !== '' ? zipState(zip5) : '');
  const start = cityByName(words, n, (candidate) => candidate === name, placeState);
  if (typeof start !== 'number') return start;
  if (start < 0) return input;
  if (!hasStreetEnd(words, start)) return ambiguous(words, n);
  return { ...input, address1: words.slice(0, start).join(' ') };
}

/** The words of each comma-, semicolon- or line-separated part, empty parts left out. */
function partsOf(text: string): string[][] {
  const parts: string[][] = [];
  for (const part of text.split(/[,;\r\n]+/)) {
    const list = new WordList();
    tokenize(part, list);
    if (list.count > 0) parts.push(list.words.slice(0, list.count));
  }
  return parts;
}

/** Drops a country at the end of the last part (a part of its own, or after a ZIP or state). */
function dropCountry(parts: string[][]): void {
  const last = parts[parts.length - 1];
  if (!last) return;
  const count = countryWordsAt(last, last.length);
  if (count === 0) return;
  if (count === last.length) {
    if (parts.length > 1) parts.pop();
    return;
  }
  const before = last[last.length - count - 1]!;
  if (isZipWord(before, true) || stateWordsAt(last, last.length - count) > 0) last.length -= count;
}

/** `… SPRINGFIELD IL`: the words end with a state after one of its place names. */
function endsWithStatePlace(words: readonly string[]): boolean {
  const stateWords = stateWordsAt(words, words.length);
  if (stateWords === 0) return false;
  const state = STATE_CODES.get(words.slice(words.length - stateWords).join(' '))!;
  const end = words.length - stateWords;
  for (let count = 1; count <= MAX_PLACE_WORDS && count <= end - 2; count++) if (isStatePlaceName(state, placeName(words, end - count, end))) return true;
  return false;
}

/** `60606 6306` at the end of the words: a ZIP+4 typed with a space, made one word. */
function joinSpacedZip4(words: string[]): void {
  const n = words.length;
  if (n >= 3 && /^\d{4}$/.test(words[n - 1]!) && /^\d{5}$/.test(words[n - 2]!)) words.splice(n - 2, 2, `${words[n - 2]}-${words[n - 1]}`);
}

/** A part that is only a unit's identifier (`9E-6-01`, `4B`): letters or numbers, one with a digit. */
function isBareUnitPart(words: readonly string[]): boolean {
  return words.some(hasDigit) && words.every((word) => isUnitValue(word));
}

/**
 * A part before the street that names a place, a business or a person (`Mt Tabor Park`, `Acme
 * Corp`, `C/O Jane Smith`): no
 * digit, no unit, box or route word, no Puerto Rico urbanization word (URB, CALLE, COND…, which
 * are part of an address there).
 */
function isNamePart(words: readonly string[]): boolean {
  const first = words[0]!;
  if (first === '#' || WORDS.get(first)?.unit != null) return false;
  return words.every((word) => !hasDigit(word) && !BOX_WORDS.has(word) && !PLACE_PART_WORDS.has(word));
}

const BOX_WORDS: ReadonlySet<string> = new Set(['BOX', 'PO', 'RR', 'HC', 'PSC', 'CMR', 'UNIT']);

export function parseAddressLine(text: string): AddressLineResult {
  const parts = partsOf(text);
  dropCountry(parts);
  if (parts.length === 0) return failure('NO_STREET', 'empty address');
  joinSpacedZip4(parts[parts.length - 1]!);

  let zip = '';
  let state = '';
  let last = parts[parts.length - 1]!;
  if (isZipWord(last[last.length - 1]!, last.length > 1 && stateWordsAt(last, last.length - 1) > 0) || (parts.length > 1 && isZipWord(last[last.length - 1]!, false))) {
    zip = last.pop()!;
    if (last.length === 0 && parts.length > 1) parts.pop(); // `…, IL, 62704`
    dropCountry(parts); // `…, IL, USA 62704`
  }
  last = parts[parts.length - 1]!;
  // a state is read off the end only after a ZIP, a comma or one of its place names: in
  // `123 MAIN ST NE` NE is not Nebraska
  if (zip !== '' || parts.length > 1 || endsWithStatePlace(last)) {
    let stateWords = stateWordsAt(last, last.length);
    // 123 MAIN AVE NE 68001: NE right after a suffix is read as the post-directional, not Nebraska
    // (the other reading would drop a directional and could key a different street's house)
    const end = last.length;
    if (stateWords === 1 && parts.length === 1 && last[end - 1] === 'NE' && end >= 2 && isSuffixWord(last[end - 2]!)) stateWords = 0;
    if (stateWords > 0 && (last.length - stateWords > 0 || parts.length > 1)) {
      state = last.slice(last.length - stateWords).join(' ');
      last.length -= stateWords;
      if (last.length === 0) parts.pop();
    }
  }
  // a county (or a country) between the city and the state
  while (parts.length > 1 && (isCounty(parts[parts.length - 1]!) || countryWordsAt(parts[parts.length - 1]!, parts[parts.length - 1]!.length) === parts[parts.length - 1]!.length)) {
    parts.pop();
  }
  if (parts.length === 0) return failure('NO_STREET', `no street in "${text.trim()}"`);
  // a name before the street (`Mt Tabor Park, 6220 SE Salmon St`) is not an address part (Pub 28 §214)
  if (parts.length >= 2 && isNamePart(parts[0]!) && isPrimaryNumber(parts[1]![0]!) && parts[1]!.length >= 2) parts.shift();
  // a part after the street that is only a unit's identifier (`1010 Pine, 9E-6-01`) is that unit
  // (Pub 28 §213: # where the designator is not known), not more words of the street's name
  for (let k = 1; k < parts.length; k++) if (isBareUnitPart(parts[k]!)) parts[k]!.unshift('#');

  const lastPart = parts[parts.length - 1]!;
  if (parts.length >= 2 && canBeCity(lastPart)) {
    parts.pop();
    return { ok: true, input: { address1: parts.map((words) => words.join(' ')).join(' '), city: lastPart.join(' '), state, zip } };
  }
  if (zip === '' && state === '') {
    return { ok: true, input: { address1: parts.map((words) => words.join(' ')).join(' '), city: '', state, zip } };
  }
  // no comma before the city: it is at the end of the street's last part
  const words = parts.flat();
  const stateCode = STATE_CODES.get(state) ?? '';
  const zip5 = zip === '' ? '' : readZip5(zip, stateCode);
  const split = streetEnd(words, typeof zip5 === 'string' ? zip5 : '', stateCode);
  if (typeof split !== 'number') return split;
  if (split < words.length - lastPart.length) return ambiguous(words, words.length); // a city across a comma
  return { ok: true, input: { address1: words.slice(0, split).join(' '), city: words.slice(split).join(' '), state, zip } };
}
