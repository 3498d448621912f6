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
    ['123 Broadway New York NY 10001', 'AMBIGUOUS'],
    ['123 Main St Park City UT 84060', 'AMBIGUOUS'],
    ['', 'NO_STREET'],
    [' , , ', 'NO_STREET'],
    ['123 Main St', 'NO_LOCALITY'],
    ['Main St, Springfield, IL 62701', 'NO_PRIMARY_NUMBER'],
  ])('%j → %s', (line, reason) => {
    const result = addressLineKey(line);
    expect(result.ok ? 'OK' : result.reason).toBe(reason);
  });
});
