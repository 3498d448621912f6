/**
 * A fielded address whose address1 also holds the city (`418 West Elm Street Springfield`, with
 * Springfield in the city field: how people fill a form's street box). The city field says what
 * to take off; where the street's end cannot be told, the row is AMBIGUOUS, never keyed with the
 * city in its street.
 */
import { addressLineKey, deliveryPointKey, deliveryPointKeyHash } from '../../../src/address/delivery-point-key';
import { hashKey, type KeyHash } from '../../../src/address/key-hash';
import { row } from './address-rows';

function keyOf(fields: string): string {
  const result = deliveryPointKey(row(fields));
  return result.ok ? result.key : result.reason;
}

describe('the city typed into address1 too', () => {
  it.each([
    ['418 West Elm Street Springfield | | Springfield | IL | 62704', '418 W Elm St | | | | 62704'],
    ['418 West Elm Street Springfield. | | springfield | Illinois | 62704', '418 W Elm St | | | | 62704'],
    // multi-word cities
    ['700 Valley West Dr West Des Moines | | West Des Moines | IA | 50265', '700 Valley West Dr | | | | 50265'],
    ['4400 PGA Blvd Palm Beach Gardens | | Palm Beach Gardens | FL | 33410', '4400 PGA Blvd | | | | 33410'],
    ['50 S State St Salt Lake City | | Salt Lake City | UT | 84111', '50 S State St | | | | 84111'],
    // abbreviated in one place, spelled out in the other (Pub 28 §223)
    ['100 Las Olas Blvd Ft Lauderdale | | Fort Lauderdale | FL | 33301', '100 Las Olas Blvd | | | | 33301'],
    ['88 Elm St Saint Paul | | St Paul | MN | 55102', '88 Elm St | | | | 55102'],
    ['31 Maple Ave E Orange | | East Orange | NJ | 07018', '31 Maple Ave | | | | 07018'],
    ['9 Ocean Ave Rehoboth Bch | | Rehoboth Beach | DE | 19971', '9 Ocean Ave | | | | 19971'],
    // a city sharing a word with a street suffix
    ['22 Oak Park Ave Park Ridge | | Park Ridge | IL | 60068', '22 Oak Park Ave | | | | 60068'],
    ['301 Busse Hwy Park Ridge | | Park Ridge | IL | 60068', '301 Busse Hwy | | | | 60068'],
    // what ends the street stays: a post-directional, a unit, a numbered road, a box
    ['300 Boylston St E Seattle | | Seattle | WA | 98102', '300 Boylston St E | | | | 98102'],
    ['90 Grand Ave Apt 3 Grand Junction | | Grand Junction | CO | 81501', '90 Grand Ave Apt 3 | | | | 81501'],
    ['1005 State Highway 116 Sebastopol | | Sebastopol | CA | 95472', '1005 State Highway 116 | | | | 95472'],
    ['PO Box 12 Anchorage | | Anchorage | AK | 99501', 'PO Box 12 | | | | 99501'],
    // no ZIP: the key holds the city, once
    ['123 Main St Springfield | | Springfield | IL', '123 Main St | | Springfield | IL'],
  ])('%s is keyed like %s', (glued, clean) => {
    expect(keyOf(glued)).toBe(keyOf(clean));
    expect(keyOf(glued)).not.toMatch(/^[A-Z]+$/); // a key, not a reason
  });

  it('hashes the row as its key says (the cleanse keys by hash)', () => {
    const glued: KeyHash = { hi: 0, lo: 0 };
    const clean: KeyHash = { hi: 0, lo: 0 };
    expect(deliveryPointKeyHash(row('418 West Elm Street Springfield | | Springfield | IL | 62704'), glued).ok).toBe(true);
    hashKey('418 W ELM ST|62704', clean);
    expect(glued).toEqual(clean);
  });

  it.each([
    // MAIN ST in a city LOUIS, or MAIN in ST LOUIS?
    '123 Main St Louis | | St Louis | MO | 63101',
    // EAST (or E) a post-directional of the avenue, or the start of East Palo Alto?
    '123 University Ave East Palo Alto | | Palo Alto | CA | 94303',
    '123 University Ave E Palo Alto | | Palo Alto | CA | 94303',
    '100 Main St West Des Moines | | Des Moines | IA | 50309',
    // nothing ends the street: house 45 of LAKE in Forest, or of LAKE FOREST?
    '45 Lake Forest | | Forest | VA | 24551',
  ])('%s is AMBIGUOUS', (fields) => {
    expect(keyOf(fields)).toBe('AMBIGUOUS');
  });

  it.each([
    // the street is the city's namesake and nothing is left before it
    ['12 Center | | Center | TX | 75935', '12 CENTER|75935'],
    // address1 does not end with the city
    ['418 W Elm St | | Springfield | IL | 62704', '418 W ELM ST|62704'],
  ])('%s keeps its address1', (fields, key) => {
    expect(keyOf(fields)).toBe(key);
  });

  it('keeps a post-directional before the city apart from none', () => {
    expect(keyOf('300 Boylston St E Seattle | | Seattle | WA | 98102')).not.toBe(keyOf('300 Boylston St Seattle | | Seattle | WA | 98102'));
  });

  it('refuses a one-letter directional before a city the state also has with it (E Palo Alto)', () => {
    const result = addressLineKey('1 University Ave E Palo Alto CA 94303');
    expect(result.ok ? result.key : result.reason).toBe('AMBIGUOUS');
  });
});
