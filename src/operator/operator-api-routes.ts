import { Router } from 'express';
import type { SchedulesService } from '../schedules/schedules-service';
import type { StatisticsService } from '../statistics/statistics-service';

/** Read-only JSON for a signed-in operator's scripts (same session cookie as the console). */
export function operatorApiRoutes(schedules: SchedulesService, statistics: StatisticsService): Router {
  const router = Router();
  router.get('/api/v1/operator/schedules', async (_req, res) => {
    res.json({ schedules: await schedules.list() });
  });
  router.get('/api/v1/operator/runs', async (req, res) => {
    const kind = typeof req.query.kind === 'string' && schedules.kinds.includes(req.query.kind) ? req.query.kind : undefined;
    res.json({ runs: await schedules.listRuns({ kind, limit: 100 }) });
  });
  router.get('/api/v1/operator/statistics', async (_req, res) => {
    res.json({ snapshots: await statistics.latest(30) });
  });
  return router;
}
