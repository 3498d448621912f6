/** State and city as the key reads them: codes in any case, names, other spellings, and what is not a state. */
import { cityName, stateCode } from '../../../src/address/locality';

describe('stateCode', () => {
  it.each([
    ['MA', 'MA'],
    ['ma', 'MA'],
    ['Ma', 'MA'],
    ['mA', 'MA'],
    ['pr', 'PR'],
    ['ae', 'AE'],
    ['dc', 'DC'],
    [' MA ', 'MA'],
    ['M.A.', 'MA'],
    ['Massachusetts', 'MA'],
    ['MASS', 'MA'],
    ['new  york', 'NY'],
    ['D C', 'DC'],
  ])('%j is %s', (raw, code) => {
    expect(stateCode(raw)).toBe(code);
  });

  it.each(['XX', 'zz', 'M1', '1A', 'M ', 'É', 'Ontario', '', undefined])('%j is not a state', (raw) => {
    expect(stateCode(raw)).toBe('');
  });

  it('reads every two-letter code in lower and upper case alike, and no other pair of letters', () => {
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const codes: string[] = [];
    for (const a of letters) {
      for (const b of letters) {
        const upper = stateCode(a + b);
        expect(stateCode((a + b).toLowerCase())).toBe(upper);
        if (upper !== '') codes.push(upper);
        expect(upper === '' || upper === a + b).toBe(true);
      }
    }
    // 50 states, DC, 5 territories, 3 freely associated states, 3 military codes
    expect(codes).toHaveLength(62);
  });
});

describe('cityName', () => {
  it('upper-cases a city and spells out SAINT, FORT, MOUNT and POINT', () => {
    expect(cityName('st. louis')).toBe('SAINT LOUIS');
    expect(cityName('Ft Worth')).toBe('FORT WORTH');
    expect(cityName('  boston ')).toBe('BOSTON');
  });

  it('spells out abbreviations wherever they stand (Pub 28 §223), directionals too', () => {
    expect(cityName('N Sebastopol')).toBe(cityName('North Sebastopol'));
    expect(cityName('e San Jose')).toBe('EAST SAN JOSE');
    expect(cityName('Long Bch')).toBe('LONG BEACH');
    expect(cityName('Palm Bch Gdns')).toBe(cityName('Palm Beach Gardens'));
    expect(cityName('Sandy Spgs')).toBe(cityName('Sandy Springs'));
  });
});
