import { ByteBuilder } from '../../../../src/lists/cleanse/byte-builder';

describe('ByteBuilder', () => {
  it('appends bytes, text, single bytes and line numbers in order, across its blocks', () => {
    // Blocks of 16 bytes, so that most appends below start a new one.
    const builder = new ByteBuilder(16);
    const taken: Buffer[] = [];
    let expected = '';
    for (const line of [0, 7, 9, 10, 99, 100, 12_345, 9_999_999, 2_147_483_648, 10_000_000_000]) {
      builder.appendDecimal(line);
      builder.append(Buffer.from('x,OPTED_OUT,y'), 1, 11);
      builder.appendByte(0x2c);
      builder.appendText('Peña');
      builder.appendByte(0x0a);
      expected += `${line},OPTED_OUT,Peña\n`;
      if (line % 2 === 0) taken.push(builder.take());
    }
    taken.push(builder.take());
    expect(Buffer.concat(taken).toString('utf8')).toBe(expected);
  });
});
