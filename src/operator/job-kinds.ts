/** What one run of each job kind does, shown next to the kind in the schedule form. */
export const JOB_KIND_HELP: Record<string, string> = {
  statistics: 'Takes a snapshot of households accepting and refusing each category, and of lists cleansed, for the dashboard chart.',
  'purge-expired': 'Deletes uploaded and produced files past the retention window and expired postcard codes; keeps summaries and choice history.',
  'apply-moves': 'Applies every uploaded change-of-address file that is still waiting (uploads are applied at once unless their job failed to queue).',
  'cleanse-list': 'Cleanses lists that mailers uploaded and that are waiting in the queue.',
  'issue-postcards': 'Issues a postcard batch with new codes (job data: the batch options).',
  'import-returned-cards': 'Imports returned postcards waiting in the queue.',
};

export function jobKindHelp(kind: string): string {
  return JOB_KIND_HELP[kind] ?? 'A batch job.';
}
