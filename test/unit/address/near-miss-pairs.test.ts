/**
 * Pairs that look alike but are two delivery points: both must be readable and their keys must
 * differ, or one household's choice would silence another's mail.
 */
import { deliveryPointKey } from '../../../src/address/delivery-point-key';
import { row } from './address-rows';

const PAIRS: Array<[string, string]> = [
  ['123 Main St Apt 4B | | | | 02134', '123 Main St Apt 4C | | | | 02134'],
  ['123 Main St Apt 4B | | | | 02134', '123 Main St | | | | 02134'],
  ['123 Main St | Apt 4B | | | 02134', '123 Main St | | | | 02134'],
  ['123 Main St Apt 4B | | | | 02134', '123 Main St Apt 4 | | | | 02134'],
  ['123 Main St Apt 4B | | | | 02134', '123 Main St Fl 4B | | | | 02134'],
  ['123 Main St Apt 12 | | | | 02134', '123 Main St Apt 1 | | | | 02134'],
  ['123 Main St Apt 12-3 | | | | 02134', '123 Main St Apt 123 | | | | 02134'],
  ['5 Oak Ct Bldg 3 Apt 7 | | | | 30301', '5 Oak Ct Apt 7 | | | | 30301'],
  ['5 Oak Ct Bldg 3 Apt 7 | | | | 30301', '5 Oak Ct Bldg 4 Apt 7 | | | | 30301'],
  ['5 Oak Ct Fl 2 | | | | 30301', '5 Oak Ct Fl 3 | | | | 30301'],
  ['5 Oak Ct Fl 2 | | | | 30301', '5 Oak Ct Apt 2 | | | | 30301'],
  ['5 Oak Ct Rm 101 | | | | 30301', '5 Oak Ct Ste 101 | | | | 30301'],
  ['4 Shady Ln Lot 7 | | | | 85001', '4 Shady Ln Lot 8 | | | | 85001'],
  ['4 Shady Ln Lot 7 | | | | 85001', '4 Shady Ln | | | | 85001'],
  ['8 Elm St Rear | | | | 12345', '8 Elm St | | | | 12345'],
  ['8 Elm St Upper | | | | 12345', '8 Elm St Lower | | | | 12345'],
  ['8 Elm St Front | | | | 12345', '8 Elm St Rear | | | | 12345'],
  ['8 Elm St Bsmt | | | | 12345', '8 Elm St | | | | 12345'],
  ['45 Oak St Ph A | | | | 12345', '45 Oak St Ph B | | | | 12345'],
  ['45 Oak St Ph A | | | | 12345', '45 Oak St Ph | | | | 12345'],
  ['1 Park | | | | 12345', '1 Parks | | | | 12345'],
  ['123 N Main St | | | | 02134', '123 S Main St | | | | 02134'],
  ['123 N Main St | | | | 02134', '123 Main St | | | | 02134'],
  ['123 E Main St | | | | 02134', '123 W Main St | | | | 02134'],
  ['123 NE Main St | | | | 02134', '123 N Main St | | | | 02134'],
  ['123 Main St N | | | | 02134', '123 Main St S | | | | 02134'],
  ['123 Main St N | | | | 02134', '123 Main St | | | | 02134'],
  ['123 Main St NW | | | | 20001', '123 Main St NE | | | | 20001'],
  ['123 Main St | | | | 02134', '123 Main Ave | | | | 02134'],
  ['123 Main St | | | | 02134', '123 Main Rd | | | | 02134'],
  ['123 Main St | | | | 02134', '123 Main Ct | | | | 02134'],
  ['123 Main St | | | | 02134', '123 Main | | | | 02134'],
  ['123 Park Ave | | | | 10016', '123 Park Pl | | | | 10016'],
  ['123 Main St | | | | 02134', '1234 Main St | | | | 02134'],
  ['123 Main St | | | | 02134', '123A Main St | | | | 02134'],
  ['101 Main St | | | | 60601', '101 1/2 Main St | | | | 60601'],
  ['101 1/2 Main St | | | | 60601', '101 1/4 Main St | | | | 60601'],
  ['123-45 Queens Blvd | | | | 11375', '12345 Queens Blvd | | | | 11375'],
  ['123-45 Queens Blvd | | | | 11375', '123-46 Queens Blvd | | | | 11375'],
  ['1 5th Ave | | | | 10003', '1 6th Ave | | | | 10003'],
  ['21 21st St | | | | 20001', '21 22nd St | | | | 20001'],
  ['21 21st St | | | | 20001', '21 2nd St | | | | 20001'],
  ['123 North St | | | | 01201', '123 N St | | | | 01201'],
  ['123 North St | | | | 01201', '123 South St | | | | 01201'],
  ['10 W North Ave | | | | 21217', '10 North Ave | | | | 21217'],
  ['12 St Charles Ave | | | | 70130', '12 Charles Ave | | | | 70130'],
  ['123 Avenue J | | | | 11230', '123 Avenue K | | | | 11230'],
  ['PO Box 123 | | | | 99501', 'PO Box 1234 | | | | 99501'],
  ['PO Box 123 | | | | 99501', 'PO Box 12 | | | | 99501'],
  ['PO Box 123 | | | | 99501', 'PO Box 123 | | | | 99502'],
  ['PO Box 15 | | | | 50001', 'RR 2 Box 15 | | | | 50001'],
  ['RR 2 Box 15 | | | | 50001', 'RR 3 Box 15 | | | | 50001'],
  ['RR 2 Box 15 | | | | 50001', 'RR 2 Box 16 | | | | 50001'],
  ['RR 2 Box 15 | | | | 50001', 'HC 2 Box 15 | | | | 50001'],
  ['HC 1 Box 20 | | | | 59001', 'HC 1 Box 21 | | | | 59001'],
  ['PSC 1234 Box 5678 | | | | 09123', 'PSC 1235 Box 5678 | | | | 09123'],
  ['PSC 1234 Box 5678 | | | | 09123', 'CMR 1234 Box 5678 | | | | 09123'],
  ['1234 E 500 S | | | | 84101', '1234 E 500 N | | | | 84101'],
  ['1234 E 500 S | | | | 84101', '1234 W 500 S | | | | 84101'],
  ['1234 E 500 S | | | | 84101', '1234 E 600 S | | | | 84101'],
  ['5 County Road 24 | | | | 68001', '5 County Road 25 | | | | 68001'],
  ['5 County Road 24 | | | | 68001', '5 State Highway 24 | | | | 68001'],
  ['5 Highway 24 | | | | 68001', '5 State Highway 24 | | | | 68001'],
  ['5 US Highway 24 | | | | 68001', '5 State Highway 24 | | | | 68001'],
  ['5 State Route 9 | | | | 12001', '5 State Road 9 | | | | 12001'],
  ['900 Highway 5 N | | | | 72001', '900 Highway 5 S | | | | 72001'],
  ['1 Elm St | | | | 02134', '1 Elm St | | | | 02135'],
  ['1 Elm St | | | | 02134', '1 Elm St | | | | 12134'],
  ['1 Elm St | | | MA | 2134', '1 Elm St | | | | 21340'],
  ['123 Main St | | Springfield | IL', '123 Main St | | Springfield | MO'],
  ['123 Main St | | Springfield | IL', '123 Main St | | Springfield | IL | 62701'],
  ['123 Main St | | Springfield | IL', '123 Main St | | Springfield Heights | IL'],
  ['9 Pine Rd Apt B | | | | 12345', '9 Pine Rd Apt 8 | | | | 12345'],
  ['12 Calle Pena | | | | 00901', '12 Calle Penas | | | | 00901'],
  ['5 Lake Shore Dr | | | | 60611', '5 Shore Dr | | | | 60611'],
  ['5 Mt Vernon Pl | | | | 21202', '5 Vernon Pl | | | | 21202'],
  ['10 Main St Ext | | | | 12345', '10 Main St | | | | 12345'],
  ['1211 Avenue of the Americas | | | | 10036', '1211 Americas Ave | | | | 10036'],
  ['N89W16170 Main St | | | | 53051', 'N89W16171 Main St | | | | 53051'],
  // LOT 12 is not # 12: # stands for APT, UNIT and STE (one dwelling designator), and a park with
  // lots and a building with units can hold both; merging them would merge APT 12 with LOT 12
  ['4 Shady Ln Lot 12 | | | | 85001', '4 Shady Ln | 12 | | | 85001'],
  ['4 Shady Ln Lot 12 | | | | 85001', '4 Shady Ln Apt 12 | | | | 85001'],
  // 12E run together is a route's name (US 11E is not US 11 East); 12 E is route 12, post-directional E
  ['5 County Hwy 12E | | | | 53001', '5 County Hwy 12 E | | | | 53001'],
  // 52N MAIN ST is house 52N; only two grid numbers (52N 300W) are read as a grid address
  ['52N Main St | | | | 84101', '52 N Main St | | | | 84101'],
  ['52N 300W | | | | 84101', '52N 300E | | | | 84101'],
  ['RR 4 | Box 22 | | | 50001', 'RR 4 | Box 23 | | | 50001'],
  ['HC2 Box 9 | | | | 59001', 'HC3 Box 9 | | | | 59001'],
  ['One 2nd St | | | | 10001', 'Two 2nd St | | | | 10001'],
  ['#7 480 N Clark St | | | | 60654', '#7 482 N Clark St | | | | 60654'],
  ['Apt 7 480 N Clark St | | | | 60654', 'Apt 8 480 N Clark St | | | | 60654'],
  ['5 Main St Fl 2nd | | | | 10001', '5 Main St Fl 3rd | | | | 10001'],
  ['1 Martin Luther King Jr Way | | | | 94612', '1 Martin Luther King Way | | | | 94612'],
  ['123 Main St Apt 4 5 | | | | 02134', '123 Main St Apt 45 | | | | 02134'],
];

describe('near-miss pairs: alike but two delivery points, so two keys', () => {
  it.each(PAIRS)('%s ≠ %s', (a, b) => {
    const first = deliveryPointKey(row(a));
    const second = deliveryPointKey(row(b));
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(first.key).not.toBe(second.key);
  });
});
