/** The canonical Pub 28 form of each part, as stored with a delivery point and printed on postcards. */
import { deliveryPointKey, type AddressComponents } from '../../../src/address/delivery-point-key';
import { row } from './address-rows';

function components(text: string): AddressComponents {
  const result = deliveryPointKey(row(text));
  if (!result.ok) throw new Error(`${text}: ${result.reason} ${result.message}`);
  return result.components;
}

describe('key components', () => {
  it.each([
    ['123 north main street apartment 4b | | Boston | MA | 2134', '123 N MAIN ST APT 4B'],
    ['101½ Fifth Avenue | | | | 10003', '101 1/2 5TH AVE'],
    ['123-45 Queens Boulevard | | | | 11375', '123-45 QUEENS BLVD'],
    ['456 Ninety-Sixth Street | | | | 10025', '456 96TH ST'],
    ['12 St. Charles Avenue | | | | 70130', '12 SAINT CHARLES AVE'],
    ['P.O. Box 123 | | | | 99501', 'PO BOX 123'],
    ['Rural Route 2, Box 15 | | | | 50001', 'RR 2 BOX 15'],
    ['Star Route 1 Box 20 | | | | 59001', 'HC 1 BOX 20'],
    ['5 Co Rd 24 | | | | 68001', '5 COUNTY ROAD 24'],
    ['1234 East 500 South | | | | 84101', '1234 E 500 S'],
    ['8 Elm St | 2nd floor rear | | | 12345', '8 ELM ST FL 2 REAR'],
    // a designator whose number is optional takes one number, as APT does: not REAR 97 (found by
    // no-dropped-digits.property.test.ts: 12 Main Fl 75 Rear 9 7 was keyed … REAR 97)
    ['8 Elm St Fl 2 Rear 9 7 | | | | 12345', '8 ELM ST FL 2 # 7 REAR 9'],
    ['8 Elm St Fl 2 Rear 9 B | | | | 12345', '8 ELM ST FL 2 REAR 9B'],
    ['5 Oak Ct Apartment 7 Building 3 | | | | 30301', '5 OAK CT BLDG 3 APT 7'],
    ['12 Calle Peña | | | | 00901', '12 CALLE PENA'],
  ])('%s → %s', (text, line) => {
    expect(components(text).line).toBe(line);
  });

  it('splits a street line into its Pub 28 parts', () => {
    expect(components('123 North Main Street Southwest, Suite 400 | | Springfield | Illinois | 62701-1234')).toEqual({
      line: '123 N MAIN ST SW STE 400',
      city: 'SPRINGFIELD',
      state: 'IL',
      zip5: '62701',
      kind: 'street',
      primaryNumber: '123',
      preDirectional: 'N',
      streetName: 'MAIN',
      suffix: 'ST',
      postDirectional: 'SW',
      secondary: 'STE 400',
    });
  });

  it('keys APT, UNIT, STE and # as one designator but prints the one written', () => {
    const apt = deliveryPointKey(row('1 Elm St Apt 4 | | | | 12345'));
    const suite = deliveryPointKey(row('1 Elm St Suite 4 | | | | 12345'));
    expect(apt.ok && suite.ok && apt.key === suite.key).toBe(true);
    expect(apt.ok && apt.components.line).toBe('1 ELM ST APT 4');
    expect(suite.ok && suite.components.line).toBe('1 ELM ST STE 4');
  });

  it('uses the ZIP for the key when there is one, and city and state only when there is not', () => {
    const withZip = deliveryPointKey(row('1 Elm St | | Boston | MA | 02134'));
    const withoutZip = deliveryPointKey(row('1 Elm St | | Boston | MA'));
    expect(withZip.ok && withZip.key.endsWith('|02134')).toBe(true);
    expect(withoutZip.ok && withoutZip.key.endsWith('|BOSTON|MA')).toBe(true);
  });

  it('describes box lines', () => {
    expect(components('RR 2 Box 15 | | | | 50001')).toMatchObject({ kind: 'rural-route', streetName: 'RR 2', primaryNumber: '15' });
    expect(components('PO Box 9 | | | | 99501')).toMatchObject({ kind: 'po-box', streetName: 'PO BOX', primaryNumber: '9' });
  });
});
