/**
 * The address evaluation (npm run address:eval): mailpref on third-party rows
 * (test/fixtures/address-eval, sources and licences in SOURCES.md there: parse-address, ISC;
 * @sroussey/parse-address, ISC; addresser, MIT; addressit, MIT; usaddress (labelled data and
 * business listings), MIT; usaddress-scourgify, MIT). The floors are the figures reached: a
 * change that merges two delivery points, keys a row silently wrong or loses pairs fails here.
 */
import { evaluate, type Outcome } from '../../../bench/address-eval-metrics';
import type { EvalRow } from '../../../bench/address-eval-rows';
import { mailprefKey } from '../../../bench/address-eval-keyers';
import { evalRows } from '../../../bench/address-eval';

const FLOORS = { recall: 0.99, listLike: 0.99, silentWrong: 0, unreadable: 3 };

describe('address evaluation on third-party rows', () => {
  const figures = evaluate(evalRows(), mailprefKey);

  it('merges no two delivery points', () => {
    expect(figures.falseMerges).toEqual([]);
  });

  it(`keys at most ${FLOORS.silentWrong} rows silently wrong`, () => {
    expect(figures.silentWrong.length).toBeLessThanOrEqual(FLOORS.silentWrong);
  });

  it(`matches at least ${FLOORS.recall} of the pairs, ${FLOORS.listLike} of the list-like ones`, () => {
    expect(figures.recall.all.recall).toBeGreaterThanOrEqual(FLOORS.recall);
    expect(figures.recall['list-like'].recall).toBeGreaterThanOrEqual(FLOORS.listLike);
  });

  it(`leaves at most ${FLOORS.unreadable} rows without a key`, () => {
    expect(figures.unreadable.count).toBeLessThanOrEqual(FLOORS.unreadable);
  });
});

describe('the evaluation figures', () => {
  const row = (point: string, shape: EvalRow['shape'], address: string): EvalRow => ({ source: 't', point, shape, address1: address, address2: '', city: '', state: 'IL', zip: '62704', address: shape === 'one-line' ? address : '' });
  const keys: Record<string, Outcome> = {
    a1: { ok: true, key: 'A' }, a2: { ok: true, key: 'A' }, a3: { ok: true, key: 'X' },
    b1: { ok: true, key: 'B' }, b2: { ok: false, reason: 'AMBIGUOUS' },
    c1: { ok: true, key: 'X' },
  };
  const rows = [row('a', 'fielded', 'a1'), row('a', 'one-line', 'a2'), row('a', 'one-line', 'a3'), row('b', 'fielded', 'b1'), row('b', 'one-line', 'b2'), row('c', 'fielded', 'c1')];
  const figures = evaluate(rows, (r) => keys[r.address1]!);

  it('counts matched pairs by the shapes of their rows', () => {
    expect(figures.recall.all).toEqual({ pairs: 4, matched: 1, recall: 0.25 });
    expect(figures.recall['one-line']).toEqual({ pairs: 1, matched: 0, recall: 0 });
    expect(figures.recall.mixed).toEqual({ pairs: 3, matched: 1, recall: 1 / 3 });
  });

  it('names the silent wrong keys, the false merges and the unreadable rows', () => {
    expect(figures.silentWrong.map(({ row: r, key, groupKey }) => [r.address1, key, groupKey])).toEqual([['a3', 'X', 'A']]);
    expect(figures.falseMerges).toEqual([{ key: 'X', points: ['a', 'c'] }]);
    expect(figures.unreadable).toEqual({ count: 1, byReason: { AMBIGUOUS: 1 }, byShape: { 'one-line': 1 } });
  });
});
