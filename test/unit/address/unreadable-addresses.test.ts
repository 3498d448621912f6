/** Addresses that cannot be read get no key and a reason code — never a guess. */
import { deliveryPointKey } from '../../../src/address/delivery-point-key';
import { row } from './address-rows';

const CASES: Array<[string, string]> = [
  [' | | | | 12345', 'NO_STREET'],
  ['123 | | | | 12345', 'NO_STREET'],
  ['Apt 4B | | | | 12345', 'NO_STREET'],
  [' | Apt 4B | | | 12345', 'NO_STREET'],
  ['Main St | | | | 12345', 'NO_PRIMARY_NUMBER'],
  ['North Main Street Apt 4 | | | | 12345', 'NO_PRIMARY_NUMBER'],
  ['Two Rivers | | | | 12345', 'NO_PRIMARY_NUMBER'],
  ['Urb Las Gladiolas 150 Calle A | | | | 00926', 'NO_PRIMARY_NUMBER'],
  ['PO Box 75 | Box 22 | | | 12345', 'UNREADABLE'],
  ['Acme Corp | | | | 12345', 'NO_PRIMARY_NUMBER'],
  ['123 Main St', 'NO_LOCALITY'],
  ['123 Main St | | Springfield', 'NO_LOCALITY'],
  ['123 Main St | | | IL', 'NO_LOCALITY'],
  ['123 Main St | | Springfield | Narnia', 'NO_LOCALITY'],
  ['N/A | | | | 12345', 'UNREADABLE'],
  ['unknown | | | | 12345', 'UNREADABLE'],
  ['NONE | | | | 12345', 'UNREADABLE'],
  ['??? | | | | 12345', 'UNREADABLE'],
  ['--- | | | | 12345', 'UNREADABLE'],
  ['123 Main St | 456 Oak Ave | | | 12345', 'UNREADABLE'],
  ['PO Box 12 Apt 4 | | | | 12345', 'UNREADABLE'],
  ['PO Box | | | | 99501', 'NO_BOX_NUMBER'],
  ['P.O. Box # | | | | 99501', 'NO_BOX_NUMBER'],
  ['RR 2 | | | | 50001', 'NO_BOX_NUMBER'],
  ['Rural Route 2 Box | | | | 50001', 'NO_BOX_NUMBER'],
  ['HC 1 | | | | 59001', 'NO_BOX_NUMBER'],
  ['PSC 1234 | | APO | AE | 09123', 'NO_BOX_NUMBER'],
  ['Unit 5 | | | | 12345', 'NO_STREET'],
  ['123 Main St Apt | | | | 12345', 'BAD_UNIT'],
  ['123 Main St Suite | | | | 12345', 'BAD_UNIT'],
  ['123 Main St | Smith Residence | | | 12345', 'BAD_UNIT'],
  ['123 Main St | Apt | | | 12345', 'BAD_UNIT'],
  ['PO Box 12 | Apt 4 | | | 12345', 'BAD_UNIT'],
  ['123 Main St | | | CA | 2134', 'BAD_ZIP'],
  ['123 Main St | | | | 2134', 'BAD_ZIP'],
  ['123 Main St | | | | 123456', 'BAD_ZIP'],
  ['123 Main St | | | | ABCDE', 'BAD_ZIP'],
  ['123 Main St | | | | 12', 'BAD_ZIP'],
  ['123 Main St | | | | 02134-12', 'BAD_ZIP'],
  ['123 Main St | | Boston | MA | 0213A', 'BAD_ZIP'],
];

describe('unreadable addresses get a reason and no key', () => {
  it.each(CASES)('%s → %s', (text, reason) => {
    const result = deliveryPointKey(row(text));
    expect(result.ok ? 'OK' : result.reason).toBe(reason);
    if (!result.ok) expect(result.message.length).toBeGreaterThan(5);
  });

  it('names the field in the message', () => {
    const result = deliveryPointKey(row('123 Main St | Smith Residence | | | 12345'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('address2');
  });

  it('says why a 4-digit ZIP could not be restored', () => {
    const result = deliveryPointKey(row('123 Main St | | | CA | 2134'));
    expect(result.ok ? '' : result.message).toContain('not a CA ZIP code');
  });
});
