/** One free-text `address` column: split into parts, then keyed like separate columns. */
import { parseAddressLine } from '../../../src/address/address-line-parser';
import { addressLineKey, deliveryPointKey } from '../../../src/address/delivery-point-key';
import { row } from './address-rows';

const SAME_AS_FIELDS: Array<[string, string]> = [
  ['123 N Main St Apt 4B, Boston, MA 02134', '123 N Main St | Apt 4B | | | 02134'],
  ['123 North Main Street, Apt 4B, Boston, Massachusetts 02134-1234', '123 N Main St | Apt 4B | | | 02134'],
  ['123 North Main Street #4B\nBoston MA 02134', '123 N Main St | Apt 4B | | | 02134'],
  ['123 N MAIN ST APT 4B BOSTON MA 02134', '123 N Main St | Apt 4B | | | 02134'],
  ['123 N Main St Apt 4B Boston MA 2134', '123 N Main St | Apt 4B | | | 02134'],
  ['123 Main St, Springfield, IL 62701, USA', '123 Main St | | | | 62701'],
  ['123 Main St Springfield IL 62701', '123 Main St | | | | 62701'],
  ['123 Main St, Springfield, Illinois', '123 Main St | | Springfield | IL'],
  ['123 Main St; Springfield; IL', '123 Main St | | Springfield | IL'],
  ['PO Box 12, Anchorage, AK 99501', 'PO Box 12 | | | | 99501'],
  ['PO Box 12 Anchorage AK 99501', 'PO Box 12 | | | | 99501'],
  ['RR 2 Box 15 Ames IA 50010', 'RR 2 Box 15 | | | | 50010'],
  ['55 W 125th St, New York, New York 10027', '55 W 125th St | | | | 10027'],
  ['123 Main St N, Kansas City, MO 64101', '123 Main St N | | | | 64101'],
  ['5 County Road 24, Elm Creek, NE 68836', '5 County Road 24 | | | | 68836'],
  ['123 Main Ave NE 68001', '123 Main Ave NE | | | | 68001'],
  ['123 Main Ave Omaha NE 68001', '123 Main Ave | | | | 68001'],
  // no comma before the city: it is found from the end with the ZIP's place names (Pub 28 §224)
  ['418 West Elm Street Springfield, IL 62704', '418 W Elm St | | | | 62704'],
  ['2210 State Highway 75 Hailey ID 83333', '2210 State Highway 75 | | | | 83333'],
  ['611 Orchard Valley Rd Petaluma CA 94952', '611 Orchard Valley Rd | | | | 94952'],
  ['123 Broadway New York NY 10001', '123 Broadway | | | | 10001'],
  ['123 Main St Park City UT 84060', '123 Main St | | | | 84060'],
  ['90 Grand Ave Apt 3 Grand Junction CO 81501', '90 Grand Ave Apt 3 | | | | 81501'],
  // multi-word cities
  ['700 Valley West Dr West Des Moines IA 50265', '700 Valley West Dr | | | | 50265'],
  ['4400 Pga Blvd Palm Beach Gardens FL 33410', '4400 PGA Blvd | | | | 33410'],
  ['50 S State St Salt Lake City UT 84111', '50 S State St | | | | 84111'],
  ['12 Bay Rd Fort Walton Beach FL 32548', '12 Bay Rd | | | | 32548'],
  // abbreviated cities (Pub 28 §223): FT, ST, MT, E, BCH
  ['100 Las Olas Blvd Ft Lauderdale FL 33301', '100 Las Olas Blvd | | | | 33301'],
  ['88 Elm St St Paul MN 55102', '88 Elm St | | | | 55102'],
  ['5 Main St Mt Pleasant SC 29464', '5 Main St | | | | 29464'],
  ['9 Ocean Ave Rehoboth Bch DE 19971', '9 Ocean Ave | | | | 19971'],
  ['31 Maple Ave E Orange NJ 07018', '31 Maple Ave | | | | 07018'],
  ['31 Maple Ave East Orange NJ 07018', '31 Maple Ave | | | | 07018'],
  // a city that shares a word with a street suffix
  ['301 Busse Hwy Park Ridge IL 60068', '301 Busse Hwy | | | | 60068'],
  ['22 Oak Park Ave Park Ridge IL 60068', '22 Oak Park Ave | | | | 60068'],
  ['15 Lake St Lake Forest IL 60045', '15 Lake St | | | | 60045'],
  // extra parts: ", ST, ZIP", a county, a country
  ['418 W Elm St, Springfield, IL, 62704', '418 W Elm St | | | | 62704'],
  ['418 W Elm St, Springfield, Sangamon County, IL 62704', '418 W Elm St | | | | 62704'],
  ['418 W Elm St, Springfield, IL 62704, United States', '418 W Elm St | | | | 62704'],
  ['418 W Elm St Springfield IL USA 62704', '418 W Elm St | | | | 62704'],
  ['418 W Elm St, Springfield, USA, 62704', '418 W Elm St | | | | 62704'],
  // a name before the street in a part of its own (Pub 28 §214): a park, a business, c/o
  ['Mt Tabor Park, 6220 SE Salmon St, Portland, OR 97215, USA', '6220 SE Salmon St | | | | 97215'],
  ['Acme Corp, 480 N Clark St, Chicago, IL 60654', '480 N Clark St | | | | 60654'],
  ['C/O Jane Smith, 480 N Clark St, Chicago, IL 60654', '480 N Clark St | | | | 60654'],
  // a part that is only a unit's identifier, after the street (§213: # for an unknown designator)
  ['1010 Pine, 9E-6-01, St. Louis, MO 63101', '1010 Pine | # 9E-6-01 | | | 63101'],
  ['1010 PINE, 9E-6-01\nST. LOUIS MO', '1010 Pine | # 9E-6-01 | St Louis | MO'],
  ['123 Main St, 4B, Springfield, IL 62701', '123 Main St | Apt 4B | | | 62701'],
  // ZIP+4 typed with a space
  ['233 S Wacker Dr 60606 6306', '233 S Wacker Dr | | | | 60606'],
  // a house number spelled out before a street and its unit (§231)
  ['Nine Park Avenue 1st Floor, New York, NY 10022', '9 Park Ave | Fl 1 | | | 10022'],
  // WASHINGTON DC: the city and the state's code, not the state's other name
  ['1600 Pennsylvania Ave Washington DC', '1600 Pennsylvania Ave | | Washington | DC'],
  ['1600 Pennsylvania Ave., Washington DC', '1600 Pennsylvania Ave | | Washington | DC'],
  // the city without a ZIP, its abbreviations spelled out (§223)
  ['1005 Gravenstein Hwy, N Sebastopol CA', '1005 Gravenstein Hwy | | North Sebastopol | CA'],
  ['1 First St, e San Jose CA', '1 1st St | | East San Jose | CA'],
  // no ZIP: the state's place names
  ['123 Main St Springfield IL', '123 Main St | | Springfield | IL'],
  ['9 Harbor Dr Salt Lake City UT', '9 Harbor Dr | | Salt Lake City | UT'],
];

describe('parseAddressLine', () => {
  it.each(SAME_AS_FIELDS)('%j is keyed like %s', (line, fields) => {
    const fromLine = addressLineKey(line);
    const fromFields = deliveryPointKey(row(fields));
    expect(fromLine.ok ? fromLine.key : fromLine).toBe(fromFields.ok ? fromFields.key : fromFields);
  });

  it('reads the city when there are commas', () => {
    expect(parseAddressLine('123 Main St, Apt 4, Springfield, IL 62701')).toEqual({
      ok: true,
      input: { address1: '123 MAIN ST APT 4', city: 'SPRINGFIELD', state: 'IL', zip: '62701' },
    });
  });

  it('does not take a post-directional for a state when there is no ZIP and no comma', () => {
    const parsed = parseAddressLine('123 Main St NE');
    expect(parsed.ok && parsed.input.state).toBe('');
  });

  it.each([
    // ST: STREET or SAINT? (a street ending in ST and a city LOUIS, or SAINT LOUIS)
    ['123 Main St Louis MO 63101', 'AMBIGUOUS'],
    // DES MOINES or WEST DES MOINES, and W a post-directional or not: with no ZIP to tell
    ['100 Main St West Des Moines IA', 'AMBIGUOUS'],
    // a spelled-out directional before a city the ZIP knows only as PALO ALTO
    ['123 University Ave East Palo Alto CA 94303', 'AMBIGUOUS'],
    // a city not in the table, after two suffix words
    ['123 Main St Park Vanityville UT 84060', 'AMBIGUOUS'],
    // a number after the street's suffix cannot be a city
    ['12 Main St 75 Vanityville UT 84060', 'AMBIGUOUS'],
    ['', 'NO_STREET'],
    [' , , ', 'NO_STREET'],
    ['123 Main St', 'NO_LOCALITY'],
    ['Main St, Springfield, IL 62701', 'NO_PRIMARY_NUMBER'],
    // a Puerto Rico urbanization before the street is part of the address, not a name to drop
    ['URB Las Gladiolas, 150 Calle A, San Juan, PR 00926', 'NO_PRIMARY_NUMBER'],
    // a unit before the street is kept, not dropped as a name
    ['Bldg A, 123 Main St, Springfield, IL 62701', '123 MAIN ST BLDG A|62701'],
    // nothing but a number after a street with no house number stays unread
    ['Main Street, 45, Springfield, IL 62701', 'NO_PRIMARY_NUMBER'],
  ])('%j → %s', (line, outcome) => {
    const result = addressLineKey(line);
    expect(result.ok ? (outcome.includes('|') ? result.key : 'OK') : result.reason).toBe(outcome);
  });
});
