/**
 * Property: formatting noise — case, spacing, punctuation, abbreviation ↔ full word, where the
 * unit is written, how the ZIP is written — never changes a key.
 */
import fc from 'fast-check';
import { deliveryPointKey } from '../../../src/address/delivery-point-key';

// Each entry: the spellings of one word, the Pub 28 form first.
const DIRECTIONALS = [['N', 'NORTH', 'N.'], ['S', 'SOUTH', 'S.'], ['E', 'EAST'], ['W', 'WEST', 'W.'], ['NE', 'NORTHEAST', 'N.E.'], ['NW', 'NORTHWEST', 'N.W.'], ['SE', 'SOUTHEAST', 'S.E.'], ['SW', 'SOUTHWEST', 'S.W.']];
const SUFFIXES = [['ST', 'STREET', 'ST.', 'STR'], ['AVE', 'AVENUE', 'AV', 'AVE.'], ['BLVD', 'BOULEVARD', 'BLVD.'], ['DR', 'DRIVE', 'DR.'], ['RD', 'ROAD'], ['LN', 'LANE'], ['CT', 'COURT'], ['PL', 'PLACE'], ['TER', 'TERRACE', 'TERR'], ['PKWY', 'PARKWAY'], ['CIR', 'CIRCLE'], ['TRL', 'TRAIL'], ['WAY', 'WY']];
const NAMES = [['MAIN'], ['OAK'], ['MAPLE'], ['WASHINGTON'], ['CEDAR', 'HILL'], ['MARTIN', 'LUTHER', 'KING'], ['5TH', 'FIFTH'], ['42ND'], ['96TH', 'NINETY-SIXTH'], ['PEÑA', 'PENA']];
const DWELLING = ['APT', 'APARTMENT', '#', 'UNIT', 'STE', 'SUITE', 'APT.', 'APT #'];
const ZIPS: ReadonlyArray<[zip: string, code: string, name: string]> = [['02134', 'MA', 'massachusetts'], ['01841', 'MA', 'Massachusetts'], ['06103', 'CT', 'Connecticut'], ['07102', 'NJ', 'new jersey'], ['62701', 'IL', 'Illinois'], ['97201', 'OR', 'oregon'], ['10025', 'NY', 'New York']];

const spelling = (spellings: readonly string[]) => fc.integer({ min: 0, max: spellings.length - 1 }).map((i) => spellings[i]!);

const address = fc.record({
  number: fc.integer({ min: 1, max: 99999 }).map(String),
  pre: fc.option(fc.integer({ min: 0, max: DIRECTIONALS.length - 1 }), { nil: undefined }),
  name: fc.integer({ min: 0, max: NAMES.length - 1 }),
  suffix: fc.integer({ min: 0, max: SUFFIXES.length - 1 }),
  post: fc.option(fc.integer({ min: 0, max: DIRECTIONALS.length - 1 }), { nil: undefined }),
  unit: fc.option(fc.tuple(fc.integer({ min: 1, max: 999 }), fc.constantFrom('', 'A', 'B', 'C')).map(([n, letter]) => `${n}${letter}`), { nil: undefined }),
  zip: fc.integer({ min: 0, max: ZIPS.length - 1 }),
});

const noise = fc.record({
  pre: fc.integer({ min: 0, max: 2 }),
  name: fc.integer({ min: 0, max: 1 }),
  suffix: fc.integer({ min: 0, max: 3 }),
  post: fc.integer({ min: 0, max: 2 }),
  designator: spelling(DWELLING),
  unitInAddress2: fc.boolean(),
  commaBeforeUnit: fc.boolean(),
  casing: fc.array(fc.constantFrom('upper', 'lower', 'title'), { minLength: 12, maxLength: 12 }),
  spaces: fc.array(fc.constantFrom(' ', '  ', ' \t ', ' , '), { minLength: 12, maxLength: 12 }),
  trailing: fc.constantFrom('', ',', ' ,,', '.', '  '),
  zipForm: fc.constantFrom('plain', 'plus4', 'nine', 'stripped', 'padded'),
  stateName: fc.boolean(),
});

function pick(spellings: readonly string[], index: number): string {
  return spellings[Math.min(index, spellings.length - 1)]!;
}

function cased(word: string, how: string): string {
  if (how === 'lower') return word.toLowerCase();
  if (how === 'title') return word.charAt(0) + word.slice(1).toLowerCase();
  return word;
}

type Address = typeof address extends fc.Arbitrary<infer T> ? T : never;
type Noise = typeof noise extends fc.Arbitrary<infer T> ? T : never;

function canonical(a: Address) {
  const words = [a.number, a.pre === undefined ? '' : DIRECTIONALS[a.pre]![0]!, ...NAMES[a.name]!.slice(0, 1), SUFFIXES[a.suffix]![0]!, a.post === undefined ? '' : DIRECTIONALS[a.post]![0]!];
  const name = NAMES[a.name]!;
  if (name.length > 1 && !name[1]!.match(/^(FIFTH|NINETY-SIXTH|PENA)$/)) words.splice(3, 0, ...name.slice(1));
  const [zip, state] = ZIPS[a.zip]!;
  return { address1: words.filter(Boolean).join(' ') + (a.unit ? ` APT ${a.unit}` : ''), state, zip };
}

function noisy(a: Address, n: Noise) {
  const name = NAMES[a.name]!;
  const nameWords = name.length > 1 && name[1]!.match(/^(FIFTH|NINETY-SIXTH|PENA)$/) ? [pick(name, n.name)] : name;
  const words = [a.number, a.pre === undefined ? '' : pick(DIRECTIONALS[a.pre]!, n.pre), ...nameWords, pick(SUFFIXES[a.suffix]!, n.suffix), a.post === undefined ? '' : pick(DIRECTIONALS[a.post]!, n.post)].filter(Boolean);
  let address1 = words.map((word, i) => cased(word, n.casing[i % 12]!) + (i < words.length - 1 ? n.spaces[i % 12]! : '')).join('');
  let address2 = '';
  if (a.unit) {
    const unit = `${cased(n.designator, n.casing[11]!)} ${a.unit.toLowerCase()}`;
    if (n.unitInAddress2) address2 = unit;
    else address1 += (n.commaBeforeUnit ? ', ' : ' ') + unit;
  }
  address1 = `  ${address1}${n.trailing}`;
  const [zip5, code, stateName] = ZIPS[a.zip]!;
  const zip = n.zipForm === 'plus4' ? `${zip5}-1234` : n.zipForm === 'nine' ? `${zip5}0042` : n.zipForm === 'stripped' ? String(Number(zip5)) : n.zipForm === 'padded' ? ` ${zip5} ` : zip5;
  return { address1, address2, state: n.stateName ? stateName : code.toLowerCase(), zip };
}

describe('formatting noise never changes a key', () => {
  it('holds for generated addresses and noise', () => {
    fc.assert(
      fc.property(address, noise, (a, n) => {
        const expected = deliveryPointKey(canonical(a));
        const actual = deliveryPointKey(noisy(a, n));
        if (!expected.ok) throw new Error(`canonical form unreadable: ${JSON.stringify(canonical(a))} ${expected.message}`);
        if (!actual.ok) throw new Error(`noisy form unreadable: ${JSON.stringify(noisy(a, n))} ${actual.message}`);
        expect(actual.key).toBe(expected.key);
      }),
      { numRuns: 2000 },
    );
  });
});
