/**
 * The figures of the address evaluation, for any normalizer that gives a row a key or a reason
 * why not. Rows are grouped by the delivery point they spell (EvalRow.point); then
 *
 * - pair recall: of the pairs of rows in one group, the share that got one key (both keyed);
 * - false merges: pairs of groups that share a key (two households silenced by one refusal);
 * - silent wrong keys: rows keyed, but not with their group's key (the most common key among the
 *   group's rows; on a tie, the key of its first fielded row), so a refusal is missed unseen;
 * - unreadable rows: rows without a key, by reason.
 *
 * Pairs are counted by the shapes of their two rows (fielded, one-line, or one of each), and for
 * list-like rows (the term: one-line, or fielded with a state and a ZIP).
 */
import type { EvalRow, Shape } from './address-eval-rows';

export type Outcome = { ok: true; key: string } | { ok: false; reason: string };

export type PairKind = 'all' | 'list-like' | 'fielded' | 'one-line' | 'mixed';

export interface Recall {
  pairs: number;
  matched: number;
  recall: number;
}

export interface EvalFigures {
  rows: number;
  groups: number;
  recall: Record<PairKind, Recall>;
  falseMerges: Array<{ key: string; points: string[] }>;
  silentWrong: Array<{ row: EvalRow; key: string; groupKey: string }>;
  unreadable: { count: number; byReason: Record<string, number>; byShape: Record<string, number> };
  /** Rows keyed, by shape. */
  keyed: Record<string, { rows: number; keyed: number }>;
}

function baseShape(shape: Shape): 'fielded' | 'one-line' {
  return shape === 'one-line' ? 'one-line' : 'fielded';
}

function isListLike(row: EvalRow): boolean {
  return row.shape === 'one-line' || (row.shape !== 'fielded-city-in-address1' && row.state.trim() !== '' && row.zip.trim() !== '');
}

/** The key most rows of a group got (a tie goes to the first fielded row's key, then the first row's). */
function groupKey(outcomes: Array<{ row: EvalRow; outcome: Outcome }>): string | undefined {
  const counts = new Map<string, number>();
  for (const { outcome } of outcomes) if (outcome.ok) counts.set(outcome.key, (counts.get(outcome.key) ?? 0) + 1);
  if (counts.size === 0) return undefined;
  const most = Math.max(...counts.values());
  const tied = [...counts].filter(([, count]) => count === most).map(([key]) => key);
  if (tied.length === 1) return tied[0];
  const fielded = outcomes.find(({ row, outcome }) => row.shape === 'fielded' && outcome.ok && tied.includes(outcome.key));
  return fielded ? (fielded.outcome as { key: string }).key : tied[0];
}

export function evaluate(rows: readonly EvalRow[], keyOf: (row: EvalRow) => Outcome): EvalFigures {
  const groups = new Map<string, Array<{ row: EvalRow; outcome: Outcome }>>();
  for (const row of rows) {
    const list = groups.get(row.point) ?? [];
    groups.set(row.point, list);
    list.push({ row, outcome: keyOf(row) });
  }
  const recall: Record<PairKind, Recall> = {
    all: { pairs: 0, matched: 0, recall: 0 },
    'list-like': { pairs: 0, matched: 0, recall: 0 },
    fielded: { pairs: 0, matched: 0, recall: 0 },
    'one-line': { pairs: 0, matched: 0, recall: 0 },
    mixed: { pairs: 0, matched: 0, recall: 0 },
  };
  const silentWrong: EvalFigures['silentWrong'] = [];
  const unreadable: EvalFigures['unreadable'] = { count: 0, byReason: {}, byShape: {} };
  const keyed: EvalFigures['keyed'] = {};
  const pointsByKey = new Map<string, Set<string>>();
  for (const [point, members] of groups) {
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const a = members[i]!;
        const b = members[j]!;
        const matched = a.outcome.ok && b.outcome.ok && a.outcome.key === b.outcome.key ? 1 : 0;
        const shapeA = baseShape(a.row.shape);
        const kind: PairKind = shapeA === baseShape(b.row.shape) ? shapeA : 'mixed';
        for (const counted of [recall.all, recall[kind], ...(isListLike(a.row) && isListLike(b.row) ? [recall['list-like']] : [])]) {
          counted.pairs++;
          counted.matched += matched;
        }
      }
    }
    const key = groupKey(members);
    for (const { row, outcome } of members) {
      const shape = row.shape;
      keyed[shape] ??= { rows: 0, keyed: 0 };
      keyed[shape].rows++;
      if (outcome.ok) {
        keyed[shape].keyed++;
        if (outcome.key !== key) silentWrong.push({ row, key: outcome.key, groupKey: key! });
        const points = pointsByKey.get(outcome.key) ?? new Set<string>();
        pointsByKey.set(outcome.key, points);
        points.add(point);
      } else {
        unreadable.count++;
        unreadable.byReason[outcome.reason] = (unreadable.byReason[outcome.reason] ?? 0) + 1;
        unreadable.byShape[shape] = (unreadable.byShape[shape] ?? 0) + 1;
      }
    }
  }
  for (const counted of Object.values(recall)) counted.recall = counted.pairs === 0 ? 1 : counted.matched / counted.pairs;
  const falseMerges = [...pointsByKey].filter(([, points]) => points.size > 1).map(([key, points]) => ({ key, points: [...points] }));
  return { rows: rows.length, groups: groups.size, recall, falseMerges, silentWrong, unreadable, keyed };
}
