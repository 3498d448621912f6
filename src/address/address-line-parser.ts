/**
 * One free-text address line, as lists with a single `address` column carry it:
 * `123 N Main St Apt 4B, Boston, MA 02134`. Split into address1 / city / state / zip, then keyed
 * like any other row. Commas (or line breaks) separate the parts; without them the street must
 * end at a single unambiguous suffix, unit or box number, or the line gets AMBIGUOUS — a city
 * read as part of the street would give a wrong key, which is worse than none.
 */
import { failure, type AddressFailure } from './address-status';
import { tokenize, WordList } from './address-tokenizer';
import { WORDS } from './address-words';
import { hasDigit } from './characters';
import type { AddressInput } from './delivery-point-key';
import { isUnitValue } from './secondary-unit-parser';
import { MAX_STATE_WORDS, STATE_CODES } from './us-states';

export type AddressLineResult = { ok: true; input: AddressInput } | AddressFailure;

const COUNTRY_WORDS = [['USA'], ['US'], ['UNITED', 'STATES'], ['UNITED', 'STATES', 'OF', 'AMERICA']];

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

/** Where the street ends in one comma-less run of words, or -1 when that cannot be told. */
function streetEnd(words: readonly string[]): number {
  const n = words.length;
  if (n === 0) return 0;
  const first = words[0]!;
  // PO BOX 12 / RR 2 BOX 15: the box number ends the line
  const box = words.indexOf('BOX');
  if (!hasDigit(first) || box === 1 || box === 2) {
    return box >= 0 && box + 1 < n ? box + 2 : -1;
  }
  let end = -1;
  for (let k = 2; k < n; k++) {
    if (WORDS.get(words[k]!)?.suffix == null) continue;
    if (end >= 0) return -1; // two candidate suffixes: MAIN ST PARK CITY
    end = k + 1;
  }
  if (end < 0) return -1;
  // post-directional only when it ends the line (MAIN ST N ADAMS could be the city North Adams)
  if (end === n - 1 && WORDS.get(words[end]!)?.directional != null) return n;
  // units after the suffix: APT 4B, # 4B, REAR
  while (end < n) {
    const word = words[end]!;
    const designator = word === '#' ? true : WORDS.get(word)?.unit;
    if (!designator) break;
    end++;
    while (end < n && (words[end] === '#' || isUnitValue(words[end]!))) end++;
  }
  return end;
}

function matchesAt(words: readonly string[], end: number, phrase: readonly string[]): boolean {
  if (phrase.length > end) return false;
  for (let k = 0; k < phrase.length; k++) if (words[end - phrase.length + k] !== phrase[k]) return false;
  return true;
}

export function parseAddressLine(text: string): AddressLineResult {
  const segments: string[][] = [];
  for (const part of text.split(/[,;\r\n]+/)) {
    const list = new WordList();
    tokenize(part, list);
    if (list.count > 0) segments.push(list.words.slice(0, list.count));
  }
  const lastWords = segments[segments.length - 1];
  if (segments.length > 1 && COUNTRY_WORDS.some((country) => country.length === lastWords!.length && matchesAt(lastWords!, lastWords!.length, country))) {
    segments.pop(); // `…, IL 62701, USA`
  }
  if (segments.length === 0) return failure('NO_STREET', 'empty address');

  const last = segments[segments.length - 1]!;
  let end = last.length;
  for (const country of COUNTRY_WORDS) if (end > country.length && matchesAt(last, end, country)) end -= country.length;
  let zip = '';
  let state = '';
  const hasStateBefore = (stop: number): number => {
    for (let words = Math.min(MAX_STATE_WORDS, stop); words >= 1; words--) {
      if (STATE_CODES.has(last.slice(stop - words, stop).join(' '))) return words;
    }
    return 0;
  };
  if (end > 0 && isZipWord(last[end - 1]!, end > 1 && hasStateBefore(end - 1) > 0)) zip = last[--end]!;
  // a state is read off the end only after a ZIP or a comma: in `123 MAIN ST NE` NE is not Nebraska
  if (zip !== '' || segments.length > 1) {
    let stateWords = hasStateBefore(end);
    // 123 MAIN AVE NE 68001: NE right after a suffix is read as the post-directional, not Nebraska
    // (the other reading would drop a directional and could key a different street's house)
    if (stateWords === 1 && segments.length === 1 && last[end - 1] === 'NE' && end >= 2 && WORDS.get(last[end - 2]!)?.suffix != null) stateWords = 0;
    if (stateWords > 0 && (end - stateWords > 0 || segments.length > 1)) {
      state = last.slice(end - stateWords, end).join(' ');
      end -= stateWords;
    }
  }
  const rest = last.slice(0, end);
  const streetSegments = segments.slice(0, -1);
  let city = '';
  if (streetSegments.length === 0) {
    // no commas: the street and the city are one run of words
    const split = zip === '' && state === '' ? rest.length : streetEnd(rest);
    if (split < 0) {
      return failure('AMBIGUOUS', `cannot tell where the street ends and the city begins in "${text.trim()}"; separate them with a comma`);
    }
    return { ok: true, input: { address1: rest.slice(0, split).join(' '), city: rest.slice(split).join(' '), state, zip } };
  }
  if (rest.length > 0) city = rest.join(' ');
  else if (streetSegments.length >= 2) city = streetSegments.pop()!.join(' ');
  return { ok: true, input: { address1: streetSegments.map((words) => words.join(' ')).join(' '), city, state, zip } };
}
