/**
 * `npm run address:eval`: the address evaluation. Runs mailpref and other normalizers on the rows
 * of test/fixtures/address-eval/*.csv (third-party test cases and examples; sources and licences in
 * SOURCES.md there) and prints, for each, pair recall by the shapes of the pairs, false merges,
 * silent wrong keys and unreadable rows (see address-eval-metrics.ts for what each counts).
 * `--details` lists mailpref's silent wrong keys, false merges and unreadable rows.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate, type EvalFigures } from './address-eval-metrics';
import { EVAL_DIR, readEvalRows, type EvalRow } from './address-eval-rows';
import { NORMALIZERS } from './address-eval-keyers';

function evalFiles(): string[] {
  return readdirSync(EVAL_DIR)
    .filter((name) => name.endsWith('.csv'))
    .sort();
}

export function evalRows(): EvalRow[] {
  return evalFiles().flatMap((name) => readEvalRows(join(EVAL_DIR, name)));
}

function recallCell(figures: EvalFigures, kind: keyof EvalFigures['recall']): string {
  const { recall, pairs } = figures.recall[kind];
  return `${recall.toFixed(3)} (${pairs})`;
}

function main(): void {
  const rows = evalRows();
  const details = process.argv.includes('--details');
  const shapes = [...new Set(rows.map((row) => row.shape))].sort();
  process.stdout.write(`${rows.length} rows, ${new Set(rows.map((row) => row.point)).size} delivery points; by shape: ${shapes.map((shape) => `${shape} ${rows.filter((row) => row.shape === shape).length}`).join(', ')}\n\n`);
  process.stdout.write('| normalizer | pair recall (pairs) | list-like | fielded | one-line | fielded–one-line | false merges | silent wrong keys | unreadable rows |\n|---|---|---|---|---|---|---|---|---|\n');
  const all: Array<{ name: string; figures: EvalFigures }> = [];
  for (const { name, keyOf } of NORMALIZERS) {
    const figures = evaluate(rows, keyOf);
    all.push({ name, figures });
    process.stdout.write(
      `| ${name} | ${recallCell(figures, 'all')} | ${recallCell(figures, 'list-like')} | ${recallCell(figures, 'fielded')} | ${recallCell(figures, 'one-line')} | ${recallCell(figures, 'mixed')} | ${figures.falseMerges.length} | ${figures.silentWrong.length} | ${figures.unreadable.count} |\n`,
    );
  }
  // mailpref on each file alone: the held-out rows were added after the fixes the others showed
  for (const name of evalFiles()) {
    const figures = evaluate(readEvalRows(join(EVAL_DIR, name)), NORMALIZERS[0]!.keyOf);
    process.stdout.write(`\nmailpref on ${name} alone: pair recall ${recallCell(figures, 'all')}, list-like ${recallCell(figures, 'list-like')}, false merges ${figures.falseMerges.length}, silent wrong keys ${figures.silentWrong.length}, unreadable ${figures.unreadable.count} of ${figures.rows} rows`);
  }
  process.stdout.write('\n');
  for (const { name, figures } of all) {
    const shapeText = Object.entries(figures.keyed).map(([shape, { rows: count, keyed }]) => `${shape} ${keyed}/${count}`).join(', ');
    process.stdout.write(`\n${name}: keyed ${shapeText}; unreadable by reason ${JSON.stringify(figures.unreadable.byReason)}; silent wrong by shape ${JSON.stringify(countBy(figures.silentWrong.map(({ row }) => row.shape)))}\n`);
  }
  if (!details) return;
  const mine = all[0]!.figures;
  process.stdout.write('\nmailpref false merges:\n');
  for (const merge of mine.falseMerges) process.stdout.write(`  ${merge.key}  <=  ${merge.points.join('  /  ')}\n`);
  process.stdout.write('\nmailpref silent wrong keys:\n');
  for (const { row, key, groupKey } of mine.silentWrong) process.stdout.write(`  [${row.shape}] ${describe(row)}  ->  ${key}   (group: ${groupKey})\n`);
  process.stdout.write('\nmailpref unreadable rows:\n');
  const keyOf = NORMALIZERS[0]!.keyOf;
  for (const row of rows) {
    const outcome = keyOf(row);
    if (!outcome.ok) process.stdout.write(`  [${row.shape}] ${describe(row)}  ->  ${outcome.reason}\n`);
  }
}

function describe(row: EvalRow): string {
  return row.shape === 'one-line' ? JSON.stringify(row.address) : JSON.stringify([row.address1, row.address2, row.city, row.state, row.zip]);
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

if (require.main === module) main();
