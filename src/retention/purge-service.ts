import type { AccessCodesService } from '../choices/access-codes-service';
import type { ListsService } from '../lists/lists-service';
import type { MailersService } from '../mailers/mailers-service';
import type { MovesService } from '../moves/moves-service';
import type { OperatorsService } from '../operator/operators-service';
import type { OperatorJobsService } from '../schedules/operator-jobs-service';

export interface PurgeReport {
  retentionDays: number;
  cutoff: string;
  moveImports: { imports: number; files: number; ids: number[] };
  /** `stuck`: of those, lists still queued or running past retention (and a day), failed before their files went. */
  listJobs: { jobs: number; ids: string[]; stuck: number };
  /** Inputs and outputs of other job runs (postcard print files, card reject reports, …). */
  jobRuns: { runs: number; files: number };
  accessCodes: number;
  /** Expired sessions deleted: operator console and mailer portal. */
  sessions: { operator: number; mailer: number };
}

/** What purge-expired asks of each feature; each deletes only what its own store owns. */
export interface PurgeableFeatures {
  /** Files of finished move imports before the cutoff. */
  moves: Pick<MovesService, 'purgeExpired'>;
  /** Files of finished lists and never-started drafts before the cutoff. */
  lists: Pick<ListsService, 'purgeExpired'>;
  /** Files of other job runs finished before the cutoff. */
  jobRuns: Pick<OperatorJobsService, 'purgeExpired'>;
  /** Postcard codes past their expiry. */
  accessCodes: Pick<AccessCodesService, 'purgeExpired'>;
  /** Console sessions past their expiry. */
  operators: Pick<OperatorsService, 'purgeExpired'>;
  /** Portal sessions past their expiry. */
  mailers: Pick<MailersService, 'purgeExpired'>;
}

/**
 * purge-expired: files of finished imports, list jobs and job runs past the retention window,
 * expired postcard codes and expired operator and mailer-portal sessions. Summaries, counts and
 * every preference event stay. It only orchestrates: each feature deletes its own.
 */
export class PurgeService {
  constructor(
    private readonly features: PurgeableFeatures,
    private readonly retentionDays: number,
  ) {}

  async purge(now: Date = new Date()): Promise<PurgeReport> {
    const cutoff = new Date(now.getTime() - this.retentionDays * 24 * 3600 * 1000);
    const { moves, lists, jobRuns, accessCodes, operators, mailers } = this.features;
    return {
      retentionDays: this.retentionDays,
      cutoff: cutoff.toISOString(),
      moveImports: await moves.purgeExpired(cutoff),
      listJobs: await lists.purgeExpired(cutoff, now),
      jobRuns: await jobRuns.purgeExpired(cutoff),
      accessCodes: await accessCodes.purgeExpired(now),
      sessions: { operator: await operators.purgeExpired(now), mailer: await mailers.purgeExpired(now) },
    };
  }
}
