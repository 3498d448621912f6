import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { BadRequestError, NotFoundError } from '../lib/errors';
import type { FileStorage } from '../lib/file-storage';
import type { QueueFactory } from '../lib/queues';
import type { Actor, AuditService } from '../audit/audit-service';
import { runFileKeys, runFileName, UPLOADS } from './job-files';
import type { JobRun, JobRunsStore } from './job-runs-store';

/**
 * Drives other features' jobs from the console: stores an uploaded file under uploads/, queues
 * the job with its input and output keys, and serves the files a finished run names.
 */
export class OperatorJobsService {
  constructor(
    private readonly files: FileStorage,
    private readonly queues: QueueFactory,
    private readonly runs: JobRunsStore,
    private readonly audit: AuditService,
  ) {}

  /** Stores the upload and queues `kind` with {inputKey, outputPrefix, fileName}; returns the job id. */
  async uploadAndQueue(kind: string, source: Readable, fileName: string, actor: Actor): Promise<string> {
    const folder = `${UPLOADS}/${kind}/${new Date().toISOString().slice(0, 10)}-${randomBytes(6).toString('hex')}`;
    const inputKey = `${folder}/input.csv`;
    const { bytes } = await this.files.put(inputKey, source);
    if (bytes === 0) {
      await this.files.delete(inputKey);
      throw new BadRequestError('The uploaded file is empty', { field: 'file' });
    }
    const job = await this.queues.queue(kind).add(kind, { inputKey, outputPrefix: folder, fileName: fileName || 'upload.csv' });
    await this.audit.record(actor, `${kind}.upload`, { type: 'job', id: `${kind}/${job.id}` }, { file: fileName, bytes });
    return job.id!;
  }

  /** Queues `kind` with the given data (e.g. issue-postcards for the lost-card requests). */
  async queue(kind: string, data: Record<string, unknown>, actor: Actor): Promise<string> {
    const job = await this.queues.queue(kind).add(kind, data);
    await this.audit.record(actor, `${kind}.run-now`, { type: 'job', id: `${kind}/${job.id}` }, data);
    return job.id!;
  }

  runsOf(kind: string, limit = 30): Promise<JobRun[]> {
    return this.runs.list({ kind, limit });
  }

  /** A file a run names (e.g. its rejectsKey), as a download. */
  async runFile(runId: number, field: string): Promise<{ name: string; stream: Readable }> {
    const run = await this.runs.find(runId);
    if (!run) throw new NotFoundError(`No job run ${runId}`, 'UNKNOWN_RUN');
    const file = runFileKeys(run).find((candidate) => candidate.field === field);
    if (!file) throw new NotFoundError(`Run ${runId} has no file "${field}"`, 'NO_FILE');
    if (run.filesPurgedAt || !(await this.files.exists(file.key))) {
      throw new NotFoundError(`The file "${field}" of run ${runId} was deleted after the retention period`, 'PURGED');
    }
    return { name: runFileName(run, field), stream: this.files.get(file.key) };
  }

  /** For purge-expired: deletes the stored files of runs finished before the cutoff. */
  async purgeExpired(cutoff: Date): Promise<{ runs: number; files: number }> {
    const purged = { runs: 0, files: 0 };
    for (const run of await this.runs.finishedBefore(cutoff)) {
      for (const { key } of runFileKeys(run)) {
        if (await this.files.exists(key)) {
          await this.files.delete(key);
          purged.files++;
        }
      }
      await this.runs.markFilesPurged(run.id);
      purged.runs++;
    }
    return purged;
  }
}
