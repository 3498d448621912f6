import type { ListJob } from '../lists-store';

export const API_LISTS = '/api/v1/lists';

export function listLinks(job: ListJob, base = API_LISTS) {
  return {
    self: `${base}/${job.id}`,
    cleansed: `${base}/${job.id}/cleansed`,
    discards: `${base}/${job.id}/discards`,
    summary: `${base}/${job.id}/summary`,
    report: `${base}/${job.id}/report`,
  };
}

/** Where a job is: the figures a mailer watches while it runs, and the counts when done (links under `base`). */
export function listView(job: ListJob, base = API_LISTS) {
  const percent = job.status === 'completed' ? 100 : job.inputBytes > 0 ? Math.min(99, Math.floor((job.bytesProcessed / job.inputBytes) * 100)) : 0;
  return {
    id: job.id,
    listName: job.listName,
    category: job.categorySlug,
    mode: job.mode,
    dedupe: job.dedupe,
    keepUnreadable: job.keepUnreadable,
    status: job.status,
    progress: { rowsProcessed: job.rowsProcessed, bytesProcessed: job.bytesProcessed, inputBytes: job.inputBytes, percent },
    counts: job.summary ? { rowsIn: job.summary.rows.in, kept: job.summary.rows.kept, discarded: job.summary.rows.discarded, discardedByReason: job.summary.rows.discardedByReason } : null,
    inputSha256: job.inputSha256,
    snapshotAt: job.snapshotAt,
    validUntil: job.validUntil,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    processingMs: job.summary?.processingMs ?? null,
    attempts: job.attempts,
    error: job.error,
    filesDeleted: job.filesDeletedAt !== null,
    links: listLinks(job, base),
  };
}

export function outputFileName(job: ListJob, kind: 'cleansed' | 'discards'): string {
  const base = job.listName.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_') || 'list';
  return kind === 'cleansed' ? `${base}.cleansed${/\.(tsv|txt)$/i.test(job.listName) ? job.listName.slice(-4) : '.csv'}` : `${base}.discards.csv`;
}
