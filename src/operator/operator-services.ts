import type { Config } from '../config';
import type { Db } from '../lib/db';
import type { FileStorage } from '../lib/file-storage';
import type { Logger } from '../lib/logger';
import type { QueueFactory } from '../lib/queues';
import type { AuditService } from '../audit/audit-service';
import { JobRunsStore } from '../schedules/job-runs-store';
import { MovesService } from '../moves/moves-service';
import type { ChoicesService } from '../choices/choices-service';
import { MovesStore } from '../moves/moves-store';
import { OperatorsService } from './operators-service';
import { OperatorJobsService } from '../schedules/operator-jobs-service';
import { OperatorsStore } from './operators-store';
import { SchedulesService } from '../schedules/schedules-service';
import { SchedulesStore } from '../schedules/schedules-store';
import type { MailersService } from '../mailers/mailers-service';
import { MailersConsoleService } from '../mailers/mailers-console-service';
import { MailersConsoleStore } from '../mailers/mailers-console-store';
import { deriveKey } from '../lib/server-secret';

export interface OperatorServices {
  audit: AuditService;
  operators: OperatorsService;
  schedules: SchedulesService;
  /** Written from worker events (jobs/worker.ts), read through schedules. */
  jobRuns: JobRunsStore;
  moves: MovesService;
  /** The console's CSRF key, derived from the server secret (SESSION_SECRET) like the household form's. */
  operatorCsrfKey: Buffer;
  operatorJobs: OperatorJobsService;
  mailersConsole: MailersConsoleService;
}

/** The operator feature's stores and services, wired by the composition root (src/main.ts). */
export function createOperatorServices(deps: {
  db: Db;
  queues: QueueFactory;
  files: FileStorage;
  config: Config;
  logger: Logger;
  audit: AuditService;
  kinds: readonly string[];
  mailers: MailersService;
  choices: ChoicesService;
  secret: Buffer;
}): OperatorServices {
  const { db, queues, files, logger, audit } = deps;
  const jobRuns = new JobRunsStore(db);
  const moves = new MovesService(db, deps.choices, new MovesStore(db), files, queues, audit);
  return {
    audit,
    operators: new OperatorsService(new OperatorsStore(db), audit),
    schedules: new SchedulesService(new SchedulesStore(db), jobRuns, queues, audit, deps.kinds, logger),
    jobRuns,
    moves,
    operatorJobs: new OperatorJobsService(files, queues, jobRuns, audit),
    mailersConsole: new MailersConsoleService(deps.mailers, new MailersConsoleStore(db), audit),
    operatorCsrfKey: deriveKey(deps.secret, 'operator-csrf'),
  };
}
