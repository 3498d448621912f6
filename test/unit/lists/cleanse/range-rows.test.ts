import { Readable } from 'node:stream';
import { deliveryPointKey, type AddressInput } from '../../../../src/address/delivery-point-key';
import { hashKey, type KeyHash } from '../../../../src/address/key-hash';
import { prepareList } from '../../../../src/lists/cleanse/list-cleanser';
import { NOT_IN_ENCODING, walkRangeRows } from '../../../../src/lists/cleanse/range-rows';
import { rowsOptions } from '../../../../src/lists/cleanse/list-cleanser';

/** Every row's key as the walk computes it (its hash, or the failure), from a UTF-8 list's bytes. */
async function walkedKeys(bytes: Buffer): Promise<string[]> {
  const source = { size: bytes.length, open: () => Readable.from([bytes]) };
  const prepared = await prepareList(source, {});
  const options = rowsOptions(prepared, { start: prepared.header.dataStart, firstLine: prepared.header.firstDataLine }, { mode: 'suppress', dedupe: false, keepUnreadable: false, mapping: {} });
  const keys: string[] = [];
  await walkRangeRows(Readable.from([bytes.subarray(prepared.header.dataStart)]), options, (_record, result, hash) => {
    keys.push(result === undefined ? 'malformed' : result.ok ? `${hash.hi}:${hash.lo}` : `${result.reason}: ${result.message}`);
  });
  return keys;
}

/** The key of an address as given, hashed as the walk hashes it. */
function expectedKey(address: AddressInput): string {
  const key = deliveryPointKey(address);
  if (!key.ok) return `${key.reason}: ${key.message}`;
  const hash: KeyHash = { hi: 0, lo: 0 };
  hashKey(key.key, hash);
  return `${hash.hi}:${hash.lo}`;
}

describe('the row walk reads each address field as the text it holds', () => {
  // The address fields are decoded as one piece when it is ASCII, one by one otherwise.
  it.each([
    ['ASCII', 'Ann,12 Elm St,Apt 4,Boston,MA,02134', { address1: '12 Elm St', address2: 'Apt 4', city: 'Boston', state: 'MA', zip: '02134' }],
    ['an accented letter', 'Ann,12 Calle Peña,,Boston,MA,02134', { address1: '12 Calle Peña', address2: '', city: 'Boston', state: 'MA', zip: '02134' }],
    ['quoted fields with doubled quotes and commas', 'Ann,"12 ""B"" Elm St, Rear","Apt 4",Boston,MA,"02134"', { address1: '12 "B" Elm St, Rear', address2: 'Apt 4', city: 'Boston', state: 'MA', zip: '02134' }],
    ['a quoted field holding a line break', 'Ann,"12 Elm St\r\nApt 4",,Boston,MA,02134', { address1: '12 Elm St\r\nApt 4', address2: '', city: 'Boston', state: 'MA', zip: '02134' }],
    ['a four-byte character', 'Ann,12 Elm St 🏠,,Boston,MA,02134', { address1: '12 Elm St 🏠', address2: '', city: 'Boston', state: 'MA', zip: '02134' }],
    ['a ZIP code quoted in its error', 'Ann,12 Elm St,,Boston,MA,0213x', { address1: '12 Elm St', address2: '', city: 'Boston', state: 'MA', zip: '0213x' }],
    ['no ZIP code, so the city is read', 'Ann,12 Elm St,,Boston,MA,', { address1: '12 Elm St', address2: '', city: 'Boston', state: 'MA', zip: '' }],
  ])('%s', async (_name, row, address) => {
    const list = Buffer.from(`name,address1,address2,city,state,zip\r\n${row}\r\n`);
    expect(await walkedKeys(list)).toEqual([expectedKey(address)]);
  });

  it('a stray byte that is not UTF-8 (in a list marked UTF-8 by its BOM) gets no key: it would be a key nobody has', async () => {
    const list = Buffer.concat([Buffer.from('\uFEFFname,address1,address2,city,state,zip\r\nAnn,12 Elm St,,Bost'), Buffer.from([0xff]), Buffer.from('n,MA,\r\nBob,14 Elm St,,Boston,MA,\r\n')]);
    expect(await walkedKeys(list)).toEqual([`BAD_ENCODING: ${NOT_IN_ENCODING.ok ? '' : NOT_IN_ENCODING.message}`, expectedKey({ address1: '14 Elm St', address2: '', city: 'Boston', state: 'MA', zip: '' })]);
  });

  it('a U+FFFD in a city that the key does not read (the row has a ZIP code) leaves the key as it is', async () => {
    const list = Buffer.from('name,address1,address2,city,state,zip\r\nAnn,12 Elm St,,Bost\uFFFDn,MA,02134\r\n');
    expect(await walkedKeys(list)).toEqual([expectedKey({ address1: '12 Elm St', address2: '', city: 'Boston', state: 'MA', zip: '02134' })]);
  });

  it('a U+FFFD written as such in a list that is UTF-8 throughout gets no key either', async () => {
    const list = Buffer.from('name,address1,address2,city,state,zip\r\nAnn,12 Pe\uFFFDa St,,Boston,MA,02134\r\n');
    expect(await walkedKeys(list)).toEqual([`BAD_ENCODING: ${NOT_IN_ENCODING.ok ? '' : NOT_IN_ENCODING.message}`]);
  });
});
