import { DELIMITER_NAMES, type ListDialect } from './list-dialect';
import { DISCARD_REASONS, type RangeCounts } from './cleanse-range';
import type { CleanseOutcome, CleanseSettings } from './list-cleanser';

/** The processing summary: what a mailer files with the mailing (in the spirit of NCOALink's). */
export interface ListSummary {
  listName: string;
  mailer: string;
  category: { slug: string; name: string };
  mode: CleanseSettings['mode'];
  dedupe: boolean;
  keepUnreadable: boolean;
  input: { bytes: number; sha256: string; encoding: string; /** How the encoding was decided (summaries before it was decided on the whole file have none). */ encodingDecidedBy?: string; delimiter: string; columns: string[] };
  output: { cleansedSha256: string; cleansedBytes: number; discardsSha256: string; discardsBytes: number };
  rows: { in: number; kept: number; discarded: number; discardedByReason: RangeCounts['discarded']; keptUnreadable: number; blankLines: number };
  /** `rows in = kept + discarded`, written out: checked before the job may complete. */
  accounting: string;
  snapshotAt: string;
  validUntil: string;
  startedAt: string;
  finishedAt: string;
  processingMs: number;
  rowsPerSecond: number;
  chunks: number;
}

export interface SummaryContext {
  listName: string;
  mailer: string;
  category: { slug: string; name: string };
  settings: CleanseSettings;
  dialect: ListDialect;
  headerFields: string[];
  input: { bytes: number; sha256: string };
  snapshotAt: Date;
  freshnessDays: number;
  startedAt: Date;
  finishedAt: Date;
  chunks: number;
}

export function buildSummary(context: SummaryContext, outcome: CleanseOutcome): ListSummary {
  const { counts } = outcome;
  const discarded = Object.values(counts.discarded).reduce((a, b) => a + b, 0);
  const processingMs = Math.max(1, context.finishedAt.getTime() - context.startedAt.getTime());
  return {
    listName: context.listName,
    mailer: context.mailer,
    category: context.category,
    mode: context.settings.mode,
    dedupe: context.settings.dedupe,
    keepUnreadable: context.settings.keepUnreadable,
    input: {
      bytes: context.input.bytes,
      sha256: context.input.sha256,
      encoding: context.dialect.encoding + (context.dialect.bomBytes ? ' with BOM' : ''),
      encodingDecidedBy: context.dialect.decidedBy,
      delimiter: DELIMITER_NAMES[context.dialect.delimiter],
      columns: context.headerFields,
    },
    output: {
      cleansedSha256: outcome.cleansed.sha256,
      cleansedBytes: outcome.cleansed.bytes,
      discardsSha256: outcome.discards.sha256,
      discardsBytes: outcome.discards.bytes,
    },
    rows: { in: counts.rowsIn, kept: counts.kept, discarded, discardedByReason: counts.discarded, keptUnreadable: counts.keptUnreadable, blankLines: counts.blankLines },
    accounting: `${counts.rowsIn} rows in = ${counts.kept} kept + ${discarded} discarded`,
    snapshotAt: context.snapshotAt.toISOString(),
    validUntil: new Date(context.snapshotAt.getTime() + context.freshnessDays * 86_400_000).toISOString(),
    startedAt: context.startedAt.toISOString(),
    finishedAt: context.finishedAt.toISOString(),
    processingMs,
    rowsPerSecond: Math.round((counts.rowsIn * 1000) / processingMs),
    chunks: context.chunks,
  };
}

/** The summary with its keys in reading order again (Postgres jsonb stores keys sorted by length). */
export function inReadingOrder(s: ListSummary): ListSummary {
  const byReason = Object.fromEntries(DISCARD_REASONS.map((reason) => [reason, s.rows.discardedByReason[reason] ?? 0])) as RangeCounts['discarded'];
  return {
    listName: s.listName,
    mailer: s.mailer,
    category: { slug: s.category.slug, name: s.category.name },
    mode: s.mode,
    dedupe: s.dedupe,
    keepUnreadable: s.keepUnreadable,
    input: { bytes: s.input.bytes, sha256: s.input.sha256, encoding: s.input.encoding, encodingDecidedBy: s.input.encodingDecidedBy, delimiter: s.input.delimiter, columns: s.input.columns },
    output: { cleansedSha256: s.output.cleansedSha256, cleansedBytes: s.output.cleansedBytes, discardsSha256: s.output.discardsSha256, discardsBytes: s.output.discardsBytes },
    rows: { in: s.rows.in, kept: s.rows.kept, discarded: s.rows.discarded, discardedByReason: byReason, keptUnreadable: s.rows.keptUnreadable, blankLines: s.rows.blankLines },
    accounting: s.accounting,
    snapshotAt: s.snapshotAt,
    validUntil: s.validUntil,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
    processingMs: s.processingMs,
    rowsPerSecond: s.rowsPerSecond,
    chunks: s.chunks,
  };
}

/** The summary as the CLI prints it. */
export function formatSummary(summary: ListSummary, files: { cleansed?: string; discards?: string; summary?: string } = {}): string {
  const r = summary.rows;
  const lines = [
    `List            ${summary.listName}`,
    `Category        ${summary.category.name} (${summary.category.slug})`,
    `Mode            ${summary.mode}${summary.dedupe ? ', de-duplicated' : ''}${summary.keepUnreadable ? ', unreadable addresses kept' : ''}`,
    `Input           ${summary.input.bytes} bytes, ${summary.input.encoding}, ${summary.input.delimiter}-separated`,
    ...(summary.input.encodingDecidedBy ? [`Encoding        ${summary.input.encodingDecidedBy}`] : []),
    `Input SHA-256   ${summary.input.sha256}`,
    `Output SHA-256  ${summary.output.cleansedSha256}`,
    `Rows in         ${r.in}`,
    `Kept            ${r.kept}${r.keptUnreadable ? ` (${r.keptUnreadable} with unreadable addresses)` : ''}`,
    `Discarded       ${r.discarded}`,
    ...DISCARD_REASONS.map((reason) => `  ${reason.padEnd(20)}${r.discardedByReason[reason] ?? 0}`),
    ...(r.blankLines ? [`Blank lines     ${r.blankLines} (ignored)`] : []),
    `Check           ${summary.accounting}`,
    `Snapshot        ${summary.snapshotAt}`,
    `Valid until     ${summary.validUntil}`,
    `Processing      ${(summary.processingMs / 1000).toFixed(2)} s (${summary.rowsPerSecond} rows/s)`,
  ];
  if (files.cleansed) lines.push(`Cleansed file   ${files.cleansed}`);
  if (files.discards) lines.push(`Discard report  ${files.discards}`);
  if (files.summary) lines.push(`Summary         ${files.summary}`);
  return lines.join('\n') + '\n';
}
