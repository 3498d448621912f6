/**
 * Place names by ZIP code and by state, for finding where the city begins at the end of a
 * one-line address (`418 W Elm St Springfield IL 62704`). The table is zip-places-data.ts (its
 * sources and licences are named there and in docs/address-keys.md); it is read on first use,
 * since only one-line addresses need it.
 *
 * Names are compared in a canonical spelling of their words, so that the ways people abbreviate
 * a city (Pub 28 §223: FT, ST, MT, E/EAST, BCH, HTS…) meet the table's spelling: ST and STE are
 * SAINT and SAINTE, directionals and C1 suffix abbreviations are spelled out, TWP is TOWNSHIP.
 */
import { tokenize, WordList } from './address-tokenizer';
import { WORDS } from './address-words';
import { DIRECTIONALS } from './pub28-directionals';
import { STATE_PLACES, ZIP_PLACES } from './zip-places-data';

const SPELLED_DIRECTIONALS: ReadonlyMap<string, string> = new Map(
  [...DIRECTIONALS].filter(([word, abbreviation]) => word.length > 2 && abbreviation !== word).map(([word, abbreviation]) => [abbreviation, word]),
);

const CITY_WORDS: ReadonlyMap<string, string> = new Map([
  ['ST', 'SAINT'], ['STE', 'SAINTE'], ['SNT', 'SAINT'], ['FT', 'FORT'], ['MT', 'MOUNT'], ['MTN', 'MOUNTAIN'], ['PT', 'POINT'], ['TWP', 'TOWNSHIP'], ['HTS', 'HEIGHTS'], ['CY', 'CITY'], ['VLY', 'VALLEY'],
]);

/** One word of a place name in the spelling the table is compared in. */
export function placeWord(word: string): string {
  const fixed = CITY_WORDS.get(word) ?? SPELLED_DIRECTIONALS.get(word);
  if (fixed !== undefined) return fixed;
  const suffix = WORDS.get(word)?.suffix;
  return suffix ? suffix.name : word;
}

/** words[start..end) as a canonical place name. */
export function placeName(words: readonly string[], start: number, end: number): string {
  let name = '';
  for (let k = start; k < end; k++) name += (k > start ? ' ' : '') + placeWord(words[k]!);
  return name;
}

interface PlaceTable {
  byZip: Map<string, { state: string; names: string[] }>;
  byState: Map<string, Set<string>>;
}

let table: PlaceTable | undefined;

function load(): PlaceTable {
  const byZip = new Map<string, { state: string; names: string[] }>();
  const byState = new Map<string, Set<string>>();
  const words = new WordList();
  for (const line of ZIP_PLACES.split('\n')) {
    if (line.length < 10) continue;
    const zip = line.slice(0, 5);
    const state = line.slice(6, 8);
    const names: string[] = [];
    let stateNames = byState.get(state);
    if (!stateNames) byState.set(state, (stateNames = new Set()));
    for (const raw of line.slice(9).split('|')) {
      words.count = 0;
      tokenize(raw, words);
      const name = placeName(words.words, 0, words.count);
      names.push(name);
      stateNames.add(name);
    }
    byZip.set(zip, { state, names });
  }
  // a state's places that no ZIP line names (EAST PALO ALTO): only the state's names hold them
  for (const line of STATE_PLACES.split('\n')) {
    if (line.length < 4) continue;
    const state = line.slice(0, 2);
    let stateNames = byState.get(state);
    if (!stateNames) byState.set(state, (stateNames = new Set()));
    for (const raw of line.slice(3).split('|')) {
      words.count = 0;
      tokenize(raw, words);
      stateNames.add(placeName(words.words, 0, words.count));
    }
  }
  return { byZip, byState };
}

function places(): PlaceTable {
  return (table ??= load());
}

/** The canonical place names of a ZIP5 ([] when the table does not know it). */
export function zipPlaceNames(zip5: string): readonly string[] {
  return places().byZip.get(zip5)?.names ?? [];
}

/** The state a ZIP5 belongs to, '' when the table does not know it. */
export function zipState(zip5: string): string {
  return places().byZip.get(zip5)?.state ?? '';
}

/** Whether `name` (canonical) is a place name anywhere in `state`. */
export function isStatePlaceName(state: string, name: string): boolean {
  return places().byState.get(state)?.has(name) ?? false;
}

/** The longest place name in the table, in words (how far back from the end a city can start). */
export const MAX_PLACE_WORDS = 6;
