/**
 * Regenerates test/fixtures/address-eval/packages.csv (`npm run address:eval-data`): the
 * labelled test cases other address parsers ship in their npm packages, each turned into the rows
 * of one delivery point. A test case is a one-line address and the parts its authors say it has
 * (number, directional, street, suffix, unit, city, state, ZIP); it gives
 *
 * - the one-line row, as the authors typed it (shape `one-line`);
 * - the fielded row written from their parts: address1 / address2 / city / state / ZIP (`fielded`);
 * - where the one-line text has no comma and ends with the state and ZIP, its words before them
 *   in address1 with the state and ZIP in their fields (`fielded-city-in-address1`): how people
 *   fill a form's street box when the form also asks for the state and ZIP.
 *
 * The delivery point (the `point` column) is read from the authors' parts, not from mailpref:
 * number, directional, street, suffix, unit number and ZIP (or city and state without a ZIP),
 * upper-cased with the common long forms shortened (STREET → ST) so that two sources' spellings of
 * one part meet. Cases without a house number and street, or without a ZIP or a city and state
 * (nothing to key), and non-US cases are left out.
 *
 * Sources (pinned; fetched with `npm pack`, none is a dependency):
 * - parse-address@1.1.2, test.js (ISC licence, © hassansin; based on Geo::StreetAddress::US);
 * - @sroussey/parse-address@2.4.2, __tests__/test-cases.ts (ISC licence);
 * - addresser@1.1.22, test/test.js (MIT licence, © 2018 Michael Smith);
 * - addressit@1.8.2, test/locale-en-US.js (MIT licence, © Damon Oehlman).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unpack } from '../src/address/zip-places-update';
import { csvRow, EVAL_DIR, pointOf, readCsv, type EvalRow, type Parts } from './address-eval-rows';

const SOURCES = {
  parseAddress: 'parse-address@1.1.2',
  sroussey: '@sroussey/parse-address@2.4.2',
  addresser: 'addresser@1.1.22',
  addressit: 'addressit@1.8.2',
} as const;

/** A JavaScript object literal from a test file, read as data. */
function literal(text: string): unknown {
  return new Function(`return (${text});`)();
}

interface Case {
  source: string;
  line: string;
  parts: Parts;
}

/** parse-address style cases: `'line': { number, prefix, street, type, suffix, sec_unit_type, sec_unit_num, city, state, zip }`. */
function parseAddressCases(source: string, objects: Array<Record<string, Record<string, string | boolean>>>): Case[] {
  const cases: Case[] = [];
  for (const object of objects) {
    for (const [line, p] of Object.entries(object)) {
      if (p.__skipTest || (p.country && p.country !== 'US')) continue;
      const s = (key: string): string => (typeof p[key] === 'string' ? (p[key] as string) : '');
      cases.push({
        source,
        line,
        parts: { number: s('number'), prefix: s('prefix'), street: s('street'), type: s('type'), suffix: s('suffix'), unitType: s('sec_unit_type'), unitNumber: s('sec_unit_num'), city: s('city'), state: s('state'), zip: s('zip') },
      });
    }
  }
  return cases;
}

function parseAddressTests(dir: string): Case[] {
  const text = readFileSync(join(dir, 'test.js'), 'utf8');
  const start = text.indexOf('{', text.indexOf('var address ='));
  const end = text.indexOf('\n};', start);
  return parseAddressCases(SOURCES.parseAddress, [literal(text.slice(start, end + 2)) as Record<string, Record<string, string>>]);
}

function srousseyTests(dir: string): Case[] {
  const text = readFileSync(join(dir, '__tests__', 'test-cases.ts'), 'utf8');
  const objects: Array<Record<string, Record<string, string>>> = [];
  for (const match of text.matchAll(/export const \w+: \w+ = (\{[\s\S]*?\n\});/g)) objects.push(literal(match[1]!) as Record<string, Record<string, string>>);
  return parseAddressCases(SOURCES.sroussey, objects);
}

/** addresser: `parseAddress("line")` followed by `expect(result.field).to.equal("value")` lines. */
function addresserTests(dir: string): Case[] {
  const text = readFileSync(join(dir, 'test', 'test.js'), 'utf8');
  const cases: Case[] = [];
  for (const block of text.split(/\n\s*it\(/).slice(1)) {
    const input = /addresser\.parseAddress\(("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\)/.exec(block);
    if (!input || /to\.throw/.test(block)) continue;
    const fields: Record<string, string> = {};
    for (const m of block.matchAll(/expect\(result\.(\w+)\)\.to\.equal\(("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\)/g)) fields[m[1]!] = literal(m[2]!) as string;
    if (!fields.streetNumber) continue;
    // addressLine2 is the unit as typed (`Apt 2`, `#101`): split its designator from its number
    const unit = /^(.*?)\s*#?\s*([\w-]+)$/.exec(fields.addressLine2 ?? '');
    cases.push({
      source: SOURCES.addresser,
      line: literal(input[1]!) as string,
      parts: {
        number: fields.streetNumber,
        prefix: '',
        street: fields.streetName ?? '',
        type: fields.streetSuffix ?? '',
        suffix: fields.streetDirection ?? '',
        unitType: unit ? unit[1]! || '#' : '',
        unitNumber: unit ? unit[2]! : '',
        city: fields.placeName ?? '',
        state: fields.stateAbbreviation ?? '',
        zip: fields.zipCode ?? '',
      },
    });
  }
  return cases;
}

/** addressit's regions are the line's parts after the street (a name before it may be one): the city is the last without a digit. */
function cityOf(regions: readonly string[]): string {
  return [...regions].reverse().find((region) => !/\d/.test(region)) ?? '';
}

/** addressit: `test('line', expect({ number, street, state, regions: [city], postalcode }))`; its street keeps its directionals and type. */
function addressitTests(dir: string): Case[] {
  const text = readFileSync(join(dir, 'test', 'locale-en-US.js'), 'utf8');
  const cases: Case[] = [];
  for (const m of text.matchAll(/test\('((?:[^'\\]|\\.)*)', expect\((\{[\s\S]*?\})\)\)/g)) {
    const p = literal(m[2]!) as { number?: string; street?: string; state?: string; regions?: string[]; postalcode?: string; unit?: string };
    if (!p.number || !p.street) continue;
    cases.push({
      source: SOURCES.addressit,
      line: m[1]!.replace(/\\'/g, "'"),
      parts: { number: p.number, prefix: '', street: p.street, type: '', suffix: '', unitType: p.unit ? '#' : '', unitNumber: p.unit ?? '', city: cityOf(p.regions ?? []), state: p.state ?? '', zip: p.postalcode ?? p.regions?.find((region) => /^\d{5}$/.test(region)) ?? '' },
    });
  }
  return cases;
}

/**
 * Cases whose labels lose a part of the line, so that the fielded row written from them would be
 * another delivery point: left out, each with the part lost.
 */
const LEFT_OUT: ReadonlyMap<string, string> = new Map([
  ['3813 1/2 Some Road, Los Angeles, CA', 'the labels drop the 1/2 of the house number'],
  ['233 S Wacker Dr lobby 60606', 'the labels drop LOBBY (a Pub 28 unit designator)'],
  ['(233 S Wacker Dr lobby 60606)', 'the labels drop LOBBY (a Pub 28 unit designator)'],
  ['1234 COUNTY HWY 60E, Town, CO 12345', 'the labels split route 60E into 60 and a directional E (US 11E is not US 11 East)'],
  ['8070 Central Ave NE Unit 8070-206, Spring Lake Park, MN 55432', 'the labels drop the post-directional NE'],
]);

/** The state and ZIP a comma-less line ends with, as typed: what is left of it goes into address1. */
function cityInAddress1(line: string, parts: Parts): string | undefined {
  if (line.includes(',') || !parts.zip || !parts.state || !parts.city) return undefined;
  const words = line.trim().split(/\s+/);
  if (words[words.length - 1] !== parts.zip) return undefined;
  words.pop();
  const state = words[words.length - 1]!;
  if (state.toUpperCase() !== parts.state.toUpperCase()) return undefined;
  words.pop();
  const rest = words.join(' ');
  return rest.toUpperCase().endsWith(parts.city.toUpperCase()) ? rest : undefined;
}

/** Hand-typed labelled cases (cases/*.csv): one per line, the parts in their own columns. */
function typedCases(file: string): Case[] {
  return readCsv(file).map((c) => ({
    source: c.source!,
    line: c.line!,
    parts: { number: c.number!, prefix: c.prefix!, street: c.street!, type: c.type!, suffix: c.suffix!, unitType: c.unit_type!, unitNumber: c.unit_number!, city: c.city!, state: c.state!, zip: c.zip! },
  }));
}

/** Each case's rows (the line, the fielded row from its parts, and address1 with the city when the line has no comma), each distinct row once. */
function rowsOf(cases: readonly Case[]): string[] {
  // the same row from two sources (@sroussey/parse-address is a fork of parse-address) is kept once
  const lines = new Map<string, string>();
  const add = (row: EvalRow): void => {
    const same = csvRow({ ...row, source: '' });
    if (!lines.has(same)) lines.set(same, csvRow(row));
  };
  for (const { source, line, parts } of cases) {
    const point = pointOf(parts);
    if (point === undefined || LEFT_OUT.has(line)) continue;
    add({ source, point, shape: 'one-line', address1: '', address2: '', city: '', state: '', zip: '', address: line });
    const street = [parts.number, parts.prefix, parts.street, parts.type, parts.suffix].filter(Boolean).join(' ');
    const unit = parts.unitNumber ? `${parts.unitType === '#' || !parts.unitType ? '#' : parts.unitType} ${parts.unitNumber}` : '';
    add({ source, point, shape: 'fielded', address1: street, address2: unit, city: parts.city, state: parts.state, zip: parts.zip, address: '' });
    const glued = cityInAddress1(line, parts);
    if (glued !== undefined) add({ source, point, shape: 'fielded-city-in-address1', address1: glued, address2: '', city: parts.city, state: parts.state, zip: parts.zip, address: '' });
  }
  return [...lines.values()];
}

function write(name: string, comment: string, rows: readonly string[]): void {
  const out = join(EVAL_DIR, name);
  writeFileSync(out, `${comment.replace(/^/gm, '# ')}\nsource,point,shape,address1,address2,city,state,zip,address\n${rows.join('\n')}\n`);
  process.stdout.write(`${rows.length} rows written to ${out}\n`);
}

/** `-- --typed-only`: only the rows files of cases/ (packages.csv is left as it is, and nothing is fetched). */
function main(): void {
  const generated = 'Generated by `npm run address:eval-data` (bench/address-eval-data.ts); do not edit.';
  if (!process.argv.includes('--typed-only')) {
    const work = mkdtempSync(join(tmpdir(), 'address-eval-'));
    let cases: Case[];
    try {
      cases = [
        ...parseAddressTests(unpack(SOURCES.parseAddress, work)),
        ...srousseyTests(unpack(SOURCES.sroussey, work)),
        ...addresserTests(unpack(SOURCES.addresser, work)),
        ...addressitTests(unpack(SOURCES.addressit, work)),
      ];
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    write('packages.csv', `${generated} Test cases of\n${Object.values(SOURCES).join(', ')} (ISC, ISC, MIT, MIT: see SOURCES.md beside this file).`, rowsOf(cases));
  }
  // one rows file for each file of typed cases (collected.csv, heldout.csv), so each can be counted alone
  for (const name of readdirSync(join(EVAL_DIR, 'cases')).filter((file) => file.endsWith('.csv')).sort()) {
    const out = name === 'usaddress-scourgify.csv' ? 'collected.csv' : name.replace(/^usaddress-/, '');
    write(out, `${generated} The cases typed in cases/${name} (sources and licences there and in SOURCES.md).`, rowsOf(typedCases(join(EVAL_DIR, 'cases', name))));
  }
}

main();
