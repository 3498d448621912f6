/**
 * Numbered roads as street names (Pub 28 §237, Highways, and the ZIP+4 file): STATE HIGHWAY 116, COUNTY ROAD
 * 24, US HIGHWAY 1, INTERSTATE 95, FM 1960. Every common way of writing the road type maps to one
 * spelled-out form, and the number stays a number (it is not an ordinal, not a unit).
 */
import { hasDigit } from './characters';

type Form = [words: ReadonlyArray<ReadonlyArray<string>>, name: string];

const ROAD = ['ROAD', 'RD'];
const HIGHWAY = ['HIGHWAY', 'HWY', 'HIWAY', 'HIGHWY', 'HIWY', 'HWAY'];
const ROUTE = ['ROUTE', 'RTE', 'RT'];

// Longer forms first: COUNTY ROAD before a bare ROAD could ever be considered.
const FORMS: ReadonlyArray<Form> = [
  [[['FARM'], ['TO'], ['MARKET'], ROAD], 'FM'],
  [[['FARM'], ['TO'], ['MARKET']], 'FM'],
  [[['COUNTY', 'CNTY', 'CO'], ROAD], 'COUNTY ROAD'],
  [[['COUNTY', 'CNTY', 'CO'], HIGHWAY], 'COUNTY HIGHWAY'],
  [[['COUNTY', 'CNTY', 'CO'], ROUTE], 'COUNTY ROUTE'],
  [[['STATE', 'ST'], HIGHWAY], 'STATE HIGHWAY'],
  [[['STATE', 'ST'], ROUTE], 'STATE ROUTE'],
  [[['STATE', 'ST'], ROAD], 'STATE ROAD'],
  [[['US', 'USHWY'], HIGHWAY], 'US HIGHWAY'],
  [[['US'], ROUTE], 'US HIGHWAY'],
  [[['TOWNSHIP', 'TWP'], ROAD], 'TOWNSHIP ROAD'],
  [[['RANCH'], ROAD], 'RANCH ROAD'],
  [[['CR']], 'COUNTY ROAD'],
  [[['SH']], 'STATE HIGHWAY'],
  [[['SR']], 'STATE ROUTE'],
  [[['US']], 'US HIGHWAY'],
  [[['INTERSTATE', 'I', 'IH']], 'INTERSTATE'],
  [[['FM']], 'FM'],
  [[HIGHWAY], 'HIGHWAY'],
  [[ROUTE], 'ROUTE'],
];

/** Words that can begin a numbered road. */
export const HIGHWAY_FIRST_WORDS: ReadonlySet<string> = new Set(FORMS.flatMap(([words]) => words[0]!));

/**
 * When words[start..end) is exactly a numbered road (type words, then one number), its name
 * (`COUNTY ROAD 24`); otherwise undefined.
 */
export function readNumberedHighway(words: readonly string[], start: number, end: number): string | undefined {
  if (!HIGHWAY_FIRST_WORDS.has(words[start]!)) return undefined;
  for (const [form, name] of FORMS) {
    if (start + form.length + 1 !== end) continue;
    let matches = true;
    for (let k = 0; k < form.length && matches; k++) matches = form[k]!.includes(words[start + k]!);
    const number = words[start + form.length]!;
    if (matches && hasDigit(number)) return `${name} ${number}`;
  }
  return undefined;
}
