/**
 * City and state in key form. The key uses ZIP5 whenever there is one (several city names,
 * "vanity" names, share a ZIP); city and state are a fallback only when the ZIP is missing.
 */
import { tokenize, WordList } from './address-tokenizer';
import { placeName } from './place-names';
import { STATE_CODES } from './us-states';

const scratch = new WordList();

/**
 * Normalised city and state spellings by their raw text. Lists repeat a few thousand city and
 * state spellings over millions of rows, so each is read once; the caches are bounded and simply
 * start again when full.
 */
const CACHE_LIMIT = 20_000;
const cities = new Map<string, string>();
const states = new Map<string, string>();

function remember(cache: Map<string, string>, raw: string, value: string): string {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(raw, value);
  return value;
}

/** A letter's place in the alphabet (either case), -1 for anything else. */
function letterIndex(c: number): number {
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 97;
  return -1;
}

/**
 * Two letters (either case) → what STATE_CODES gives for them upper-cased, '' when nothing: the
 * common case, a state code typed as one, read without hashing the text (a Map lookup of each
 * row's fresh string was ~2% of a cleanse).
 */
const TWO_LETTERS: readonly string[] = (() => {
  const codes: string[] = new Array<string>(26 * 26).fill('');
  for (const [name, code] of STATE_CODES) if (/^[A-Z]{2}$/.test(name)) codes[(name.charCodeAt(0) - 65) * 26 + name.charCodeAt(1) - 65] = code;
  return codes;
})();

/** The USPS code of a state name or code, or '' when it is not one. */
export function stateCode(raw: string | undefined): string {
  if (!raw) return '';
  if (raw.length === 2) {
    const first = letterIndex(raw.charCodeAt(0));
    const second = letterIndex(raw.charCodeAt(1));
    if (first >= 0 && second >= 0) return TWO_LETTERS[first * 26 + second]!;
  }
  const cached = states.get(raw);
  if (cached !== undefined) return cached;
  scratch.count = 0;
  tokenize(raw, scratch);
  return remember(states, raw, STATE_CODES.get(scratch.text()) ?? '');
}

/**
 * The city in the spelling place names are compared in (place-names.ts): abbreviations spelled
 * out wherever they stand (Pub 28 §223: ST LOUIS = SAINT LOUIS, N SEBASTOPOL = NORTH SEBASTOPOL,
 * LONG BCH = LONG BEACH), so that the key of an address without a ZIP does not depend on them.
 */
export function cityName(raw: string | undefined): string {
  if (!raw) return '';
  const cached = cities.get(raw);
  if (cached !== undefined) return cached;
  scratch.count = 0;
  tokenize(raw, scratch);
  return remember(cities, raw, placeName(scratch.words, 0, scratch.count));
}
