/**
 * Properties over arbitrary input: keying never throws whatever a list holds, and the canonical
 * line of a key is a fixed point (keying it again gives the same key), so a delivery point
 * stored from one row is found again from its own printed address.
 */
import fc from 'fast-check';
import { addressLineKey, deliveryPointKey } from '../../../src/address/delivery-point-key';

const WORDS = ['123', '4B', '1/2', '½', '123-45', 'N', 'North', 'Main', 'St', 'St.', 'Saint', 'Apt', '#', 'Unit', 'Fl', '3rd', 'Floor', 'Rear', 'PO', 'Box', 'RR', 'HC', 'County', 'Rd', 'Hwy', '66', 'Fifth', 'Ninety-Sixth', 'Peña', 'c/o', 'N/A', ',', '.', '-', "'", 'PSC', 'Lot', 'PH', 'A'];
const addressish = fc.array(fc.constantFrom(...WORDS), { maxLength: 9 }).map((words) => words.join(' '));
const field = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), addressish);
const zip = fc.oneof(fc.string(), fc.constantFrom('02134', '2134', '02134-1234', '021341234', '9001', '', ' 62701 ', '2134.0'));
const state = fc.oneof(fc.string(), fc.constantFrom('MA', 'ma', 'Massachusetts', 'CA', 'Narnia', ''));

describe('keying arbitrary input', () => {
  it('never throws, and answers with a key or a reason', () => {
    fc.assert(
      fc.property(field, field, field, state, zip, (address1, address2, city, st, z) => {
        const result = deliveryPointKey({ address1, address2, city, state: st, zip: z });
        if (result.ok) expect(result.key).toMatch(/^\S.*\|/);
        else expect(result.message.length).toBeGreaterThan(0);
        const line = addressLineKey(`${address1}, ${city}, ${st} ${z}`);
        expect(typeof line.ok).toBe('boolean');
      }),
      { numRuns: 3000 },
    );
  });

  // Realistic lines (random word soup such as `123 UNIT NORTH` has no single reading to return to).
  const direction = fc.constantFrom('', 'N', 'North', 'SW', 'S.W.', 'East');
  const unit = fc.constantFrom('', 'Apt 4B', '#12', 'Unit C', 'Ste 200', 'Bldg 3 Apt 7', '2nd Floor', 'Rear', 'PH A', 'Lot 7', 'Rm 101', 'Apt 2D');
  const street = fc
    .record({
      number: fc.constantFrom('123', '101 1/2', '101½', '123-45', '77A', 'N89W16170', '1234'),
      pre: direction,
      name: fc.constantFrom('Main', 'Fifth', '96th', 'Ninety-Sixth', 'St. Charles', 'Mt Vernon', 'North', 'Avenue J', 'Lake Shore', 'Peña', 'County Road 24', 'State Hwy 116', '500'),
      suffix: fc.constantFrom('', 'St', 'Avenue', 'Blvd', 'Dr', 'Pkwy', 'Ext'),
      post: direction,
      unit,
    })
    .map(({ number, pre, name, suffix, post, unit }) => [number, pre, name, suffix, post, unit].filter(Boolean).join(' '));
  const box = fc.constantFrom('PO Box 123', 'P.O. Box 12A', 'RR 2 Box 15', 'Rural Route 3, Box 7', 'HC 1 Box 20', 'PSC 1234 Box 5678', 'Box 44');

  it('keys the canonical line of a key to the same key', () => {
    fc.assert(
      fc.property(fc.oneof(street, box), fc.constantFrom('', 'Apt 9', '# 3'), fc.constantFrom('02134', '62701', '99501'), (address1, address2, z) => {
        const first = deliveryPointKey({ address1, address2, zip: z });
        if (!first.ok) return;
        const again = deliveryPointKey({ address1: first.components.line, zip: first.components.zip5 });
        expect(again.ok ? again.key : `${again.reason}: ${again.message}`).toBe(first.key);
      }),
      { numRuns: 3000 },
    );
  });
});
