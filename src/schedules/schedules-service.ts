import { BadRequestError, ConflictError, NotFoundError } from '../lib/errors';
import type { QueueFactory } from '../lib/queues';
import type { Logger } from '../lib/logger';
import type { Actor, AuditService } from '../audit/audit-service';
import type { JobRun, JobRunsStore, RunFilter } from './job-runs-store';
import { schedulerId } from './run-recorder';
import { previewRuns, validateSchedule, type RawScheduleInput } from './schedule-validation';
import type { Schedule, SchedulesStore } from './schedules-store';

export type { Schedule, JobRun };

export interface ScheduleView extends Schedule {
  /** When BullMQ will next create a job (undefined while paused). */
  nextRunAt: Date | undefined;
  lastRun: JobRun | undefined;
}

/**
 * Schedules live in Postgres (the source of truth, with their paused flag) and are mirrored into
 * BullMQ job schedulers, which create the jobs. BullMQ cannot pause one scheduler, so pausing
 * removes it and resuming upserts it again from the stored definition.
 */
export class SchedulesService {
  /** The job kinds operators may schedule (from the job registry, src/job-kinds.ts). */
  readonly kinds: readonly string[];
  private readonly descriptions: Map<string, string>;

  constructor(
    private readonly store: SchedulesStore,
    private readonly runs: JobRunsStore,
    private readonly queues: QueueFactory,
    private readonly audit: AuditService,
    kinds: readonly { name: string; description: string }[],
    private readonly logger: Logger,
  ) {
    this.kinds = kinds.map((kind) => kind.name);
    this.descriptions = new Map(kinds.map((kind) => [kind.name, kind.description]));
  }

  /** What one run of a kind does. */
  describe(kind: string): string {
    return this.descriptions.get(kind) ?? 'A batch job.';
  }

  preview(pattern: string, tz: string, count = 5): Date[] {
    return previewRuns(pattern, tz, count);
  }

  async list(): Promise<ScheduleView[]> {
    const [schedules, lastRuns] = await Promise.all([this.store.list(), this.runs.latestPerSchedule()]);
    return Promise.all(schedules.map(async (schedule) => this.view(schedule, lastRuns.get(schedule.id))));
  }

  async get(id: number): Promise<ScheduleView> {
    const schedule = await this.require(id);
    const [lastRun] = await this.runs.list({ scheduleId: id, limit: 1 });
    return this.view(schedule, lastRun);
  }

  async getByName(name: string): Promise<ScheduleView> {
    const schedule = await this.store.findByName(name);
    if (!schedule) throw new NotFoundError(`No schedule named "${name}"`, 'UNKNOWN_SCHEDULE');
    return this.get(schedule.id);
  }

  async create(raw: RawScheduleInput, actor: Actor): Promise<Schedule> {
    const input = validateSchedule(raw, this.kinds);
    const schedule = await this.store.insert(input);
    if (!schedule) throw new ConflictError(`A schedule named "${input.name}" already exists`, 'SCHEDULE_EXISTS');
    try {
      await this.install(schedule);
    } catch (error) {
      await this.store.delete(schedule.id);
      throw error;
    }
    await this.audit.record(actor, 'schedule.create', { type: 'schedule', id: schedule.name }, { kind: input.kind, pattern: input.pattern, tz: input.tz, data: input.data });
    return schedule;
  }

  async update(id: number, raw: RawScheduleInput, actor: Actor): Promise<Schedule> {
    const before = await this.require(id);
    const input = validateSchedule(raw, this.kinds);
    const clash = await this.store.findByName(input.name);
    if (clash && clash.id !== id) throw new ConflictError(`A schedule named "${input.name}" already exists`, 'SCHEDULE_EXISTS');
    const schedule = (await this.store.update(id, input))!;
    if (before.kind !== schedule.kind) await this.queues.queue(before.kind).removeJobScheduler(schedulerId(id));
    if (!schedule.paused) await this.install(schedule);
    await this.audit.record(actor, 'schedule.update', { type: 'schedule', id: schedule.name }, {
      before: { name: before.name, kind: before.kind, pattern: before.pattern, tz: before.tz, data: before.data },
      after: { name: input.name, kind: input.kind, pattern: input.pattern, tz: input.tz, data: input.data },
    });
    return schedule;
  }

  async pause(id: number, actor: Actor): Promise<Schedule> {
    const schedule = (await this.store.setPaused((await this.require(id)).id, true))!;
    await this.queues.queue(schedule.kind).removeJobScheduler(schedulerId(id));
    await this.audit.record(actor, 'schedule.pause', { type: 'schedule', id: schedule.name });
    return schedule;
  }

  async resume(id: number, actor: Actor): Promise<Schedule> {
    const schedule = (await this.store.setPaused((await this.require(id)).id, false))!;
    await this.install(schedule);
    await this.audit.record(actor, 'schedule.resume', { type: 'schedule', id: schedule.name });
    return schedule;
  }

  /** Queues one job now with the schedule's data, whether or not the schedule is paused. */
  async runNow(id: number, actor: Actor): Promise<string> {
    const schedule = await this.require(id);
    const job = await this.queues.queue(schedule.kind).add(schedule.name, { ...schedule.data, scheduleId: schedule.id });
    await this.audit.record(actor, 'schedule.run-now', { type: 'schedule', id: schedule.name }, { jobId: job.id });
    return job.id!;
  }

  async remove(id: number, actor: Actor): Promise<void> {
    const schedule = await this.require(id);
    await this.queues.queue(schedule.kind).removeJobScheduler(schedulerId(id));
    await this.store.delete(id);
    await this.audit.record(actor, 'schedule.delete', { type: 'schedule', id: schedule.name }, { kind: schedule.kind, pattern: schedule.pattern, tz: schedule.tz });
  }

  listRuns(filter: Partial<RunFilter> = {}): Promise<JobRun[]> {
    return this.runs.list({ limit: 50, ...filter });
  }

  async getRun(id: number): Promise<JobRun> {
    const run = await this.runs.find(id);
    if (!run) throw new NotFoundError(`No job run ${id}`, 'UNKNOWN_RUN');
    return run;
  }

  /**
   * Retries a failed run: the same BullMQ job while Redis still holds it, else a new job with the
   * stored name and data (BullMQ may already have removed the old one).
   */
  async retryRun(id: number, actor: Actor): Promise<string> {
    const run = await this.getRun(id);
    if (run.outcome !== 'failed') throw new BadRequestError(`Run ${id} did not fail; only failed runs can be retried`);
    const queue = this.queues.queue(run.kind);
    const job = await queue.getJob(run.jobId);
    let jobId: string;
    if (job && (await job.isFailed())) {
      await job.retry('failed');
      jobId = job.id!;
    } else {
      jobId = (await queue.add(run.jobName, run.data)).id!;
    }
    await this.audit.record(actor, 'run.retry', { type: 'job-run', id }, { kind: run.kind, jobId });
    return jobId;
  }

  /**
   * Makes BullMQ match Postgres: installs every active schedule and removes schedulers of paused
   * or deleted ones (after a Redis flush, or a crash between the two writes).
   */
  async reconcile(): Promise<{ installed: number; removed: number }> {
    const schedules = await this.store.list();
    const active = new Set(schedules.filter((s) => !s.paused).map((s) => `${s.kind}/${schedulerId(s.id)}`));
    let installed = 0;
    let removed = 0;
    for (const schedule of schedules) {
      if (schedule.paused) continue;
      await this.install(schedule);
      installed++;
    }
    for (const kind of this.kinds) {
      const queue = this.queues.queue(kind);
      for (const scheduler of await queue.getJobSchedulers(0, -1)) {
        const id = scheduler.key;
        if (/^schedule-\d+$/.test(id) && !active.has(`${kind}/${id}`)) {
          await queue.removeJobScheduler(id);
          removed++;
        }
      }
    }
    if (installed || removed) this.logger.info({ installed, removed }, 'job schedulers reconciled');
    return { installed, removed };
  }

  private async install(schedule: Schedule): Promise<void> {
    await this.queues.queue(schedule.kind).upsertJobScheduler(
      schedulerId(schedule.id),
      { pattern: schedule.pattern, tz: schedule.tz },
      { name: schedule.name, data: { ...schedule.data, scheduleId: schedule.id } },
    );
  }

  private async require(id: number): Promise<Schedule> {
    const schedule = await this.store.find(id);
    if (!schedule) throw new NotFoundError(`No schedule ${id}`, 'UNKNOWN_SCHEDULE');
    return schedule;
  }

  private async view(schedule: Schedule, lastRun: JobRun | undefined): Promise<ScheduleView> {
    let nextRunAt: Date | undefined;
    if (!schedule.paused) {
      const scheduler = await this.queues.queue(schedule.kind).getJobScheduler(schedulerId(schedule.id));
      nextRunAt = scheduler?.next ? new Date(scheduler.next) : undefined;
    }
    return { ...schedule, nextRunAt, lastRun };
  }
}
