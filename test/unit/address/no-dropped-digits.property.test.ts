/**
 * Never a silent wrong key: whatever the street part of an address holds, a key either keeps
 * every digit-bearing token of it (house number, unit, highway number, box, route) or there is
 * no key and a reason. A dropped number makes two delivery points share a key — `2210 State
 * Highway 75` and `2210 State Highway 76` at one ZIP — which is a false merge waiting to happen.
 *
 * Checked on street parts built from address words and numbers (highways, grid streets, units,
 * boxes, ordinals), alone in address1 and as one line with a city, state and ZIP after them, with
 * and without commas.
 */
import fc from 'fast-check';
import { addressLineKey, deliveryPointKey } from '../../../src/address/delivery-point-key';

/** The runs of digits in a text (`101 1/2 Hwy 12E Apt 4-B` → 101, 1, 2, 12, 4). */
function digitRuns(text: string): string[] {
  return (text.normalize('NFKC').match(/\d+/g) ?? []).sort();
}

/** Whether every digit run of `street` is one of the key's street part (as a multiset). */
function keepsDigits(street: string, key: string): boolean {
  const kept = digitRuns(key.split('|')[0]!);
  for (const run of digitRuns(street)) {
    const at = kept.indexOf(run);
    if (at < 0) return false;
    kept.splice(at, 1);
  }
  return true;
}

const number = fc.constantFrom('12', '418', '2210', '101 1/2', '123-45', '77A', 'N89W16170', '52N', '5');
const word = fc.constantFrom('Main', 'Elm', 'State', 'Highway', 'Hwy', 'County', 'Road', 'Rd', 'Route', 'US', 'St', 'Ave', 'N', 'West', 'E', 'Park', 'Lake', 'Apt', 'Unit', '#', 'Fl', 'Lot', 'Box', 'Ste', 'Rear', 'Bldg', 'Second', '2nd', '5th', 'Jr', 'Springfield', 'New', 'York', 'Beach', 'Fort', 'Ft', 'Saint');
const numbered = fc.constantFrom('75', '12', '4B', '300W', '12E', '2', '9', '1960', '3rd', '22', '7');
const token = fc.oneof({ arbitrary: word, weight: 3 }, { arbitrary: numbered, weight: 2 });
// each token once: the same unit written twice (`Apt 4 #4`) is one unit, and says nothing here
const street = fc.tuple(number, fc.uniqueArray(token, { minLength: 1, maxLength: 6 })).map(([first, rest]) => [first, ...rest].join(' '));
const box = fc.tuple(fc.constantFrom('PO Box', 'RR', 'HC', 'HC2', 'RR 4 Box', 'Rural Route 2 Box', 'Box'), numbered).map(([a, b]) => `${a} ${b}`);
const place = fc.constantFrom(
  ['Springfield', 'IL', '62704'],
  ['Hailey', 'ID', '83333'],
  ['West Des Moines', 'IA', '50265'],
  ['Park Ridge', 'IL', '60068'],
  ['Salt Lake City', 'UT', '84101'],
  ['New York', 'NY', '10001'],
  ['Boston', 'MA', '02134'],
  ['Palm Beach Gardens', 'FL', '33410'],
);
const layout = fc.constantFrom('a, c, s z', 'a c s z', 'a, c s z', 'a c, s z', 'a, c, s, z', 'a c s z, USA', 'a, c, s', 'a c s');

describe('no key ever omits a digit-bearing token of the street part', () => {
  it('in address1 with the ZIP in its own field', () => {
    fc.assert(
      fc.property(fc.oneof(street, box), fc.constantFrom('', 'Apt 61', '#88', 'Fl 33rd', 'Lot 97', '58'), (address1, address2) => {
        const result = deliveryPointKey({ address1, address2, zip: '62704' });
        if (result.ok && !keepsDigits(`${address1} ${address2}`, result.key)) throw new Error(`${address1} | ${address2} → ${result.key}`);
      }),
      { numRuns: 5000 },
    );
  });

  it('in one line with the city, state and ZIP after the street', () => {
    fc.assert(
      fc.property(fc.oneof(street, box), place, layout, (address1, [city, state, zip], shape) => {
        const text = shape.replace('a', address1).replace('c', city).replace('s', state).replace('z', zip);
        const result = addressLineKey(text);
        if (result.ok && !keepsDigits(address1, result.key)) throw new Error(`${text} → ${result.key}`);
      }),
      { numRuns: 8000 },
    );
  });
});
