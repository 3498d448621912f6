import type { Job } from 'bullmq';
import type { PurgeReport, PurgeService } from './purge-service';

/** purge-expired: deletes what is past retention; the report is the job's result (shown per run). */
export function processPurgeExpired(purge: PurgeService, _job: Job): Promise<PurgeReport> {
  return purge.purge();
}
