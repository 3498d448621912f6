import express, { Router } from 'express';
import type { Root } from '../main';
import { auditRoutes } from '../audit/audit-routes';
import { categoriesConsoleRoutes } from '../categories/categories-console-routes';
import { dashboardRoutes } from './dashboard-routes';
import { importsRoutes } from './imports-routes';
import { operatorApiRoutes } from './operator-api-routes';
import { operatorAuth } from './operator-auth';
import { CLEANSE_HASH_QUEUE } from '../lists/jobs/cleanse-flow';
import { QUEUES_BOARD_PATH, queuesBoard } from './queues-board';
import { schedulesRoutes } from '../schedules/schedules-routes';
import { postcardsRoutes } from './postcards-routes';
import { mailersConsoleRoutes } from '../mailers/mailers-console-routes';
import { signInRoutes } from './sign-in-routes';

const OPERATOR_PATHS = ['/operator', '/api/v1/operator'];

/**
 * Everything under /operator and /api/v1/operator: refuses API keys, checks CSRF on every
 * non-GET request, and lets only a signed-in operator past the sign-in pages.
 */
export function operatorRoutes(root: Root): Router {
  const { services, config, queues } = root;
  const secure = config.env === 'production' || config.http.publicUrl.startsWith('https:');
  const auth = operatorAuth({ operators: services.operators, secure, csrfKey: services.operatorCsrfKey });
  const router = Router();
  router.use(OPERATOR_PATHS, express.urlencoded({ extended: false, limit: '200kb' }), ...auth.session);
  router.use(signInRoutes(services.operators, auth, root.redis, config.queue.prefix));
  router.use(OPERATOR_PATHS, auth.requireOperator);
  router.use(dashboardRoutes({ queues, statistics: services.statistics, schedules: services.schedules, audit: services.audit }));
  router.use(schedulesRoutes(services.schedules));
  router.use(categoriesConsoleRoutes(services.categories));
  router.use(importsRoutes(services.moves, services.operatorJobs));
  router.use(postcardsRoutes(services.operatorJobs));
  router.use(mailersConsoleRoutes(services.mailersConsole));
  router.use(auditRoutes(services.audit));
  router.use(operatorApiRoutes(services.schedules, services.statistics));
  router.use(QUEUES_BOARD_PATH, queuesBoard(queues, [...services.schedules.kinds, CLEANSE_HASH_QUEUE], services.audit));
  return router;
}
