/**
 * A realistic generated mailing list for the address-key benchmark: the formatting mix seen in
 * real uploads (abbreviated and spelled-out suffixes and directionals, mixed case, units in
 * address1 or address2, ZIPs with and without +4 or with their leading zero stripped, PO
 * Boxes, rural routes, numbered roads, and a few unreadable rows). Deterministic (seeded).
 */
import type { AddressInput } from '../src/address/delivery-point-key';
import { rng } from './list-generator';

const NAMES = ['Main', 'Oak', 'Maple', 'Washington', 'Lake', 'Hill', 'Park', 'Pine', 'Cedar', 'Elm', 'Sunset', 'Lincoln', 'Jackson', 'Church', 'Highland', 'Mill', 'River', 'Spring', 'Ridge', 'Walnut', 'Martin Luther King Jr', 'St. Charles', 'Mt Vernon', 'Peña', 'Fifth', '5th', '42nd', 'Ninety-Sixth', 'Broadway'];
const SUFFIXES = ['St', 'Street', 'St.', 'Ave', 'Avenue', 'Av.', 'Rd', 'Road', 'Dr', 'Drive', 'Ln', 'Lane', 'Blvd', 'Boulevard', 'Ct', 'Court', 'Pl', 'Way', 'Cir', 'Circle', 'Pkwy', 'Ter', 'Trl', 'Hwy'];
const DIRECTIONS = ['N', 'North', 'S.', 'South', 'E', 'East', 'W', 'West', 'NE', 'N.W.', 'Southwest'];
const UNITS = ['Apt 4B', 'Apartment 12', '#3', '# 204', 'Unit C', 'Ste 100', 'Suite 210', 'Fl 2', '2nd Floor', 'Bldg 3 Apt 7', 'Rear', 'Apt. 1-A'];
const CITIES: ReadonlyArray<[string, string, string]> = [
  ['Boston', 'MA', '02134'], ['Springfield', 'IL', '62701'], ['Austin', 'TX', '78701'], ['Portland', 'OR', '97201'],
  ['Newark', 'NJ', '07102'], ['Denver', 'CO', '80202'], ['St. Louis', 'MO', '63101'], ['Hartford', 'Connecticut', '06103'],
  ['San Juan', 'PR', '00901'], ['Brooklyn', 'New York', '11201'], ['Phoenix', 'AZ', '85001'], ['Burlington', 'VT', '05401'],
];

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]!;
}

function casing(next: () => number, text: string): string {
  const roll = next();
  return roll < 0.2 ? text.toUpperCase() : roll < 0.3 ? text.toLowerCase() : text;
}

export function generateAddressList(rows: number, seed = 28): AddressInput[] {
  const next = rng(seed);
  const list: AddressInput[] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const [city, state, zip] = pick(next, CITIES);
    const roll = next();
    let address1: string;
    let address2 = '';
    if (roll < 0.05) address1 = pick(next, ['PO Box ', 'P.O. Box ', 'POB ', 'Post Office Box ']) + Math.floor(next() * 9000 + 1);
    else if (roll < 0.07) address1 = `RR ${Math.floor(next() * 9 + 1)} Box ${Math.floor(next() * 300 + 1)}`;
    else if (roll < 0.09) address1 = `${Math.floor(next() * 9000 + 100)} ${pick(next, ['County Road', 'Co Rd', 'State Hwy', 'Highway'])} ${Math.floor(next() * 200 + 1)}`;
    else if (roll < 0.11) address1 = pick(next, ['', 'N/A', 'Main Street', 'unknown', '123']);
    else {
      const number = next() < 0.03 ? `${Math.floor(next() * 900 + 100)} 1/2` : String(Math.floor(next() * 20000 + 1));
      const direction = next() < 0.3 ? pick(next, DIRECTIONS) + ' ' : '';
      address1 = `${number} ${direction}${pick(next, NAMES)} ${pick(next, SUFFIXES)}`;
      if (next() < 0.25) {
        const unit = pick(next, UNITS);
        if (next() < 0.5) address1 += (next() < 0.5 ? ', ' : ' ') + unit;
        else address2 = unit;
      }
    }
    const zipRoll = next();
    const zipText = zipRoll < 0.6 ? zip : zipRoll < 0.8 ? `${zip}-${Math.floor(next() * 9000 + 1000)}` : zipRoll < 0.9 ? String(Number(zip)) : zipRoll < 0.95 ? '' : `${zip}${Math.floor(next() * 9000 + 1000)}`;
    list[i] = { address1: casing(next, address1), address2, city: casing(next, city), state, zip: zipText };
  }
  return list;
}
