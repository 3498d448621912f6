/**
 * City and state in key form. The key uses ZIP5 whenever there is one (several city names,
 * "vanity" names, share a ZIP); city and state are a fallback only when the ZIP is missing.
 */
import { tokenize } from './address-tokenizer';
import { STATE_CODES } from './us-states';

const scratch: string[] = [];

/** The USPS code of a state name or code, or '' when it is not one. */
export function stateCode(raw: string | undefined): string {
  if (!raw) return '';
  if (raw.length === 2) {
    const code = STATE_CODES.get(raw.toUpperCase());
    if (code !== undefined) return code;
  }
  scratch.length = 0;
  tokenize(raw, scratch);
  return STATE_CODES.get(scratch.join(' ')) ?? '';
}

/** City words, with SAINT/FORT/MOUNT/POINT spelled out where people abbreviate them (ST LOUIS = SAINT LOUIS). */
const CITY_WORDS: ReadonlyMap<string, string> = new Map([
  ['ST', 'SAINT'], ['STE', 'SAINTE'], ['FT', 'FORT'], ['MT', 'MOUNT'], ['PT', 'POINT'],
]);

export function cityName(raw: string | undefined): string {
  if (!raw) return '';
  scratch.length = 0;
  tokenize(raw, scratch);
  if (scratch.length === 0) return '';
  let city = CITY_WORDS.get(scratch[0]!) ?? scratch[0]!;
  for (let i = 1; i < scratch.length; i++) city += ' ' + scratch[i]!;
  return city;
}
