import type { FileStorage } from '../lib/file-storage';
import type { MailersService } from '../mailers/mailers-service';
import type { MovesService } from '../moves/moves-service';
import type { PurgeStore } from './purge-store';
import type { JobRunsStore } from '../schedules/job-runs-store';
import { runFileKeys } from '../schedules/job-files';

export interface PurgeReport {
  retentionDays: number;
  cutoff: string;
  moveImports: { imports: number; files: number; ids: number[] };
  listJobs: { jobs: number; ids: string[] };
  /** Inputs and outputs of other job runs (postcard print files, card reject reports, …). */
  jobRuns: { runs: number; files: number };
  accessCodes: number;
  /** Expired sessions deleted: operator console and mailer portal. */
  sessions: { operator: number; mailer: number };
}

/**
 * purge-expired: files of finished imports and list jobs past the retention window, expired
 * postcard codes and expired operator and mailer-portal sessions. Summaries, counts and every preference event stay.
 */
export class PurgeService {
  constructor(
    private readonly store: PurgeStore,
    private readonly moves: MovesService,
    private readonly runs: JobRunsStore,
    private readonly mailers: Pick<MailersService, 'deleteExpiredSessions'>,
    private readonly files: FileStorage,
    private readonly retentionDays: number,
  ) {}

  async purge(now: Date = new Date()): Promise<PurgeReport> {
    const cutoff = new Date(now.getTime() - this.retentionDays * 24 * 3600 * 1000);
    const report: PurgeReport = {
      retentionDays: this.retentionDays,
      cutoff: cutoff.toISOString(),
      moveImports: { imports: 0, files: 0, ids: [] },
      listJobs: { jobs: 0, ids: [] },
      jobRuns: { runs: 0, files: 0 },
      accessCodes: 0,
      sessions: { operator: 0, mailer: 0 },
    };
    for (const expired of await this.moves.expiredFiles(cutoff)) {
      for (const key of expired.keys) {
        if (await this.files.exists(key)) report.moveImports.files++;
        await this.files.delete(key);
      }
      await this.moves.markFilesPurged(expired.id);
      report.moveImports.imports++;
      report.moveImports.ids.push(expired.id);
    }
    for (const id of await this.store.expiredListJobs(cutoff)) {
      await this.files.deleteFolder(`lists/${id}`);
      await this.store.markListJobFilesDeleted(id);
      report.listJobs.jobs++;
      report.listJobs.ids.push(id);
    }
    for (const run of await this.runs.finishedBefore(cutoff)) {
      for (const { key } of runFileKeys(run)) {
        if (await this.files.exists(key)) {
          await this.files.delete(key);
          report.jobRuns.files++;
        }
      }
      await this.runs.markFilesPurged(run.id);
      report.jobRuns.runs++;
    }
    report.accessCodes = await this.store.deleteExpiredAccessCodes(now);
    report.sessions.operator = await this.store.deleteExpiredOperatorSessions(now);
    report.sessions.mailer = await this.mailers.deleteExpiredSessions(now);
    return report;
  }
}
