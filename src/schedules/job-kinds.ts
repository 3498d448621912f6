/** What one run of each job kind does, shown next to the kind in the schedule form. */
export const JOB_KIND_HELP: Record<string, string> = {
  statistics: 'Takes a snapshot of households accepting and refusing each category, and of lists cleansed, for the dashboard chart.',
  'purge-expired': 'Deletes uploaded and produced files past the retention window, expired postcard codes and expired console and portal sessions; keeps summaries and choice history.',
  'apply-moves': 'Applies every uploaded change-of-address file that is still waiting (uploads are applied at once unless their job failed to queue).',
  'cleanse-list': 'Queues again every list that is still waiting to be cleansed (or only the list named by {"listId": "…"}).',
  'issue-postcards': 'Issues postcards for the households that asked for a new card (or for the stored address file named by {"inputKey": "…"}).',
  'import-returned-cards': 'Imports the stored card file named by {"inputKey": "…"}; files uploaded on the Imports page are imported at once.',
};

export function jobKindHelp(kind: string): string {
  return JOB_KIND_HELP[kind] ?? 'A batch job.';
}
