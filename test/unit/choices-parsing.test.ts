import { CODE_ALPHABET, codeHint, generateCode, parseCode } from '../../src/choices/access-code';
import { readMark } from '../../src/choices/card-import-service';

describe('postcard codes', () => {
  it('are 10 symbols in two groups, never using 0, O, 1 or I', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      const code = generateCode();
      expect(code).toMatch(/^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/);
      seen.add(code);
      for (const ch of code.replace('-', '')) expect(CODE_ALPHABET).toContain(ch);
    }
    expect(seen.size).toBe(2_000);
    expect(CODE_ALPHABET).toHaveLength(32);
    expect(CODE_ALPHABET).not.toMatch(/[01OI]/);
  });

  it.each([
    ['K7QMX-4RTPA', { ok: true, compact: 'K7QMX4RTPA' }],
    [' k7qmx 4rtpa ', { ok: true, compact: 'K7QMX4RTPA' }],
    ['K7Q-MX4–RTPA', { ok: true, compact: 'K7QMX4RTPA' }],
    ['', { ok: false, reason: 'EMPTY' }],
    ['K7QMX-4RTP', { ok: false, reason: 'LENGTH' }],
    ['K7QMX-4RTPO', { ok: false, reason: 'CHARACTERS' }],
    ['K7QMX-4RTP1', { ok: false, reason: 'CHARACTERS' }],
  ])('reads %j as people type it', (input, expected) => {
    expect(parseCode(input)).toEqual(expected);
  });

  it('shows operators only the last four symbols', () => {
    expect(codeHint('K7QMX4RTPA')).toBe('*****-*RTPA');
  });
});

describe('card marks', () => {
  it.each([
    ['ticked', 'ticked'],
    ['X', 'ticked'],
    ['1', 'ticked'],
    ['unticked', 'unticked'],
    ['0', 'unticked'],
    ['', 'blank'],
    ['  ', 'blank'],
    [undefined, 'blank'],
    ['smudged', 'unreadable'],
    ['?', 'unreadable'],
  ])('reads %j as %s', (value, mark) => {
    expect(readMark(value)).toBe(mark);
  });
});
