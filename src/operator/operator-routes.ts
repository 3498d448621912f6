import express, { Router } from 'express';
import { auditRoutes } from '../audit/audit-routes';
import { categoriesConsoleRoutes } from '../categories/categories-console-routes';
import { dashboardRoutes } from './dashboard-routes';
import { importsRoutes } from './imports-routes';
import { operatorApiRoutes } from './operator-api-routes';
import { operatorAuth } from './operator-auth';
import { QUEUES_BOARD_PATH, queuesBoard } from './queues-board';
import { schedulesRoutes } from '../schedules/schedules-routes';
import { postcardsRoutes } from './postcards-routes';
import { mailersConsoleRoutes } from '../mailers/mailers-console-routes';
import { signInRoutes } from './sign-in-routes';
import type { Redis } from '../lib/redis';
import type { QueueFactory } from '../lib/queues';
import type { AuditService } from '../audit/audit-service';
import type { CategoriesService } from '../categories/categories-service';
import type { MailersConsoleService } from '../mailers/mailers-console-service';
import type { MovesService } from '../moves/moves-service';
import type { OperatorJobsService } from '../schedules/operator-jobs-service';
import type { SchedulesService } from '../schedules/schedules-service';
import type { StatisticsService } from '../statistics/statistics-service';
import type { OperatorsService } from './operators-service';
import type { ChoicesService } from '../choices/choices-service';
import type { CodeGuessAlert } from '../choices/code-guess-alert';
import { addressRoutes } from './address-routes';
import { operatorsConsoleRoutes } from './operators-console-routes';

export interface OperatorConsoleDeps {
  services: {
    operators: OperatorsService;
    operatorCsrfKey: Buffer;
    statistics: StatisticsService;
    schedules: SchedulesService;
    audit: AuditService;
    categories: CategoriesService;
    moves: MovesService;
    operatorJobs: OperatorJobsService;
    mailersConsole: MailersConsoleService;
    choices: ChoicesService;
  };
  queues: QueueFactory;
  /** The alert the household form raises when failed code entries pass their budget (shown on the dashboard). */
  codeGuessAlert: Pick<CodeGuessAlert, 'current'>;
  /** Bull Board's queues: every job kind's (src/job-kinds.ts). */
  boardQueues: readonly string[];
  /** The sign-in limiter's counters. */
  redis: Redis;
  queuePrefix: string;
  /** Cookies Secure (production, or an https PUBLIC_URL). */
  secure: boolean;
}

const OPERATOR_PATHS = ['/operator', '/api/v1/operator'];

/**
 * Everything under /operator and /api/v1/operator: refuses API keys, checks CSRF on every
 * non-GET request, and lets only a signed-in operator past the sign-in pages.
 */
export function operatorRoutes(deps: OperatorConsoleDeps): Router {
  const { services, queues, secure } = deps;
  const auth = operatorAuth({ operators: services.operators, secure, csrfKey: services.operatorCsrfKey });
  const router = Router();
  router.use(OPERATOR_PATHS, express.urlencoded({ extended: false, limit: '200kb' }), ...auth.session);
  router.use(signInRoutes(services.operators, auth, deps.redis, deps.queuePrefix));
  router.use(OPERATOR_PATHS, auth.requireOperator);
  router.use(dashboardRoutes({ queues, statistics: services.statistics, schedules: services.schedules, audit: services.audit, codeGuessAlert: deps.codeGuessAlert }));
  router.use(schedulesRoutes(services.schedules));
  router.use(categoriesConsoleRoutes(services.categories));
  router.use(importsRoutes(services.moves, services.operatorJobs, auth.checkFormToken));
  router.use(postcardsRoutes(services.operatorJobs, auth.checkFormToken));
  router.use(mailersConsoleRoutes(services.mailersConsole));
  router.use(addressRoutes(services.choices, services.audit));
  router.use(operatorsConsoleRoutes(services.operators));
  router.use(auditRoutes(services.audit));
  router.use(operatorApiRoutes(services.schedules, services.statistics));
  router.use(QUEUES_BOARD_PATH, queuesBoard(queues, deps.boardQueues, services.audit));
  return router;
}
