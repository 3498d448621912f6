/**
 * Deterministic generator of realistic US mailing-list rows, shared by the sample data, the
 * tests and the benchmark. The same seed always gives the same rows.
 */
export interface Household {
  first: string;
  last: string;
  address1: string;
  address2: string;
  city: string;
  state: string;
  zip: string;
}

export function rng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara', 'Richard', 'Susan', 'José', 'María', 'Wei', 'Aisha', 'Nguyen', 'Fatima', 'Liam', 'Olivia', 'Noah', 'Emma', 'Zoë', 'Renée'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodríguez', 'Martinez', 'Hernández', 'Lopez', 'Wilson', 'Anderson', "O'Brien", 'Nguyen', 'Kim', 'Patel', 'Thomas', 'Moore', 'Jackson', 'Lee'];
const STREETS = ['Main', 'Oak', 'Maple', 'Cedar', 'Elm', 'Washington', 'Lake', 'Hill', 'Park', 'Pine', 'Sunset', 'Lincoln', 'Jackson', 'River', 'Church', 'Highland', 'Forest', 'Meadow', 'Spring', 'Ridge'];
const SUFFIXES: [string, string][] = [
  ['Street', 'St'],
  ['Avenue', 'Ave'],
  ['Road', 'Rd'],
  ['Drive', 'Dr'],
  ['Lane', 'Ln'],
  ['Court', 'Ct'],
  ['Boulevard', 'Blvd'],
  ['Place', 'Pl'],
];
const DIRECTIONS: [string, string][] = [
  ['North', 'N'],
  ['South', 'S'],
  ['East', 'E'],
  ['West', 'W'],
];
const PLACES: [string, string, string][] = [
  ['Springfield', 'IL', '62704'],
  ['Portland', 'OR', '97205'],
  ['Austin', 'TX', '78701'],
  ['Boston', 'MA', '02116'],
  ['Newark', 'NJ', '07102'],
  ['Madison', 'WI', '53703'],
  ['Denver', 'CO', '80202'],
  ['Columbus', 'OH', '43215'],
  ['Raleigh', 'NC', '27601'],
  ['Burlington', 'VT', '05401'],
  ['Tucson', 'AZ', '85701'],
  ['Albany', 'NY', '12207'],
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** The canonical address of household n (the same n always gives the same household). */
export function household(n: number, seed = 1): Household {
  const random = rng(n * 7919 + seed * 104729);
  const [city, state, zip] = pick(random, PLACES);
  const [suffix] = pick(random, SUFFIXES);
  const direction = random() < 0.2 ? `${pick(random, DIRECTIONS)[0]} ` : '';
  const number = 1 + (n % 9973);
  const street = `${pick(random, STREETS)}${n % 3 === 0 ? '' : ` ${pick(random, STREETS)}`}`;
  const unit = random() < 0.25 ? `Apt ${1 + (n % 40)}${'ABCD'[n % 4]}` : '';
  return { first: pick(random, FIRST), last: pick(random, LAST), address1: `${number} ${direction}${street} ${suffix}`, address2: unit, city, state, zip };
}

/** The same address written the way real lists write it: case, abbreviations, ZIP+4, lost zeros. */
const ABBREVIATIONS = [...SUFFIXES, ...DIRECTIONS].map(([long, short]) => ({ pattern: new RegExp(`\\b${long}\\b`), long, short }));

export function variant(h: Household, random: () => number): Household {
  let address1 = h.address1;
  for (const { pattern, long, short } of ABBREVIATIONS) {
    if (random() < 0.5 && address1.includes(long)) address1 = address1.replace(pattern, random() < 0.5 ? short : `${short}.`);
  }
  const r = random();
  if (r < 0.2) address1 = address1.toUpperCase();
  else if (r < 0.3) address1 = address1.toLowerCase();
  let address2 = h.address2;
  if (address2 && random() < 0.3) address2 = address2.replace('Apt ', random() < 0.5 ? '#' : 'Unit ');
  let zip = h.zip;
  const z = random();
  if (z < 0.15) zip = `${zip}-${String(Math.floor(random() * 9999)).padStart(4, '0')}`;
  else if (z < 0.25) zip = zip.replace(/^0+/, '');
  return { ...h, address1: random() < 0.1 ? `  ${address1} ` : address1, address2, zip };
}

export function csvLine(fields: string[], delimiter = ','): string {
  return fields.map((field) => (field.includes(delimiter) || /["\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field)).join(delimiter);
}

export const LIST_HEADER = ['first_name', 'last_name', 'address1', 'address2', 'city', 'state', 'zip'];

export function householdFields(h: Household): string[] {
  return [h.first, h.last, h.address1, h.address2, h.city, h.state, h.zip];
}

/**
 * The benchmarks' mailing list, as CSV lines (the header first): `rows` rows of households drawn
 * at random from 1..points, each written the way real lists write addresses (variant).
 */
export function* listLines(rows: number, points: number, seed = 42): Generator<string> {
  const random = rng(seed);
  yield csvLine(LIST_HEADER);
  for (let i = 0; i < rows; i++) yield csvLine(householdFields(variant(household(1 + Math.floor(random() * points)), random)));
}
