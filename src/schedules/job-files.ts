import type { JobRun } from './job-runs-store';

/** Where console uploads for other features' jobs are stored: `uploads/<kind>/<id>/<name>`. */
export const UPLOADS = 'uploads';

/**
 * The stored files of a run: its input (`data.inputKey`) and every `…Key` string its result
 * names (`rejectsKey`, `printFileKey`, …). This is how the console offers a job's outputs for
 * download and how purge-expired finds them, whatever the job kind.
 */
export function runFileKeys(run: Pick<JobRun, 'data' | 'result'>): { field: string; key: string }[] {
  const files: { field: string; key: string }[] = [];
  const input = (run.data as { inputKey?: unknown } | null)?.inputKey;
  // Only inputs uploaded through the console are the run's own; a schedule may name a file it
  // reads every night, which must stay.
  if (typeof input === 'string' && input.startsWith(`${UPLOADS}/`)) files.push({ field: 'inputKey', key: input });
  if (run.result && typeof run.result === 'object' && !Array.isArray(run.result)) {
    for (const [field, value] of Object.entries(run.result as Record<string, unknown>)) {
      if (/Key$/.test(field) && typeof value === 'string' && value) files.push({ field, key: value });
    }
  }
  return files;
}

/** A download name for a run's file: `import-returned-cards-run-12-rejects.csv`. */
export function runFileName(run: Pick<JobRun, 'id' | 'kind'>, field: string): string {
  const stem = field.replace(/Key$/, '').replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`).replace(/-file$/, '');
  return `${run.kind}-run-${run.id}-${stem}.csv`;
}
