import { Router, type Request, type Response } from 'express';
import { BadRequestError, ConflictError } from '../lib/errors';
import { html, type SafeHtml } from '../web/html';
import { problemsOf, type FieldError } from '../web/error-summary';
import { consolePage } from '../operator/console-layout';
import { idParam } from '../operator/route-helpers';
import { actorOf } from '../operator/operator-auth';
import { runsTable, scheduleDeletePage, scheduleDetailPage, scheduleFormPage, schedulesListPage, type ScheduleFormValues } from './schedule-pages';
import type { Schedule, SchedulesService } from './schedules-service';
import type { RunOutcome } from './job-runs-store';

function formValues(body: Record<string, unknown>): ScheduleFormValues {
  const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : '');
  return { name: text('name'), kind: text('kind'), pattern: text('pattern'), tz: text('tz') || 'UTC', data: text('data') };
}

function valuesOf(schedule: Schedule): ScheduleFormValues {
  return { name: schedule.name, kind: schedule.kind, pattern: schedule.pattern, tz: schedule.tz, data: JSON.stringify(schedule.data) };
}


/** Schedules (list, create with preview, edit, pause, resume, run now, delete) and job runs (list, retry). */
export function schedulesRoutes(schedules: SchedulesService): Router {
  const router = Router();

  const submitForm = async (req: Request, res: Response, options: { action: string; title: string; save: (values: ScheduleFormValues) => Promise<Schedule> }) => {
    const values = formValues(req.body as Record<string, unknown>);
    const render = (extra: { errors?: FieldError[]; preview?: Date[] }) =>
      scheduleFormPage(req, { kinds: schedules.kinds, describe: (kind) => schedules.describe(kind), values, action: options.action, title: options.title, ...extra });
    try {
      if ((req.body as { intent?: string }).intent === 'preview') return res.send(render({ preview: schedules.preview(values.pattern, values.tz) }));
      const saved = await options.save(values);
      res.redirect(303, `/operator/schedules/${saved.id}?notice=schedule-saved`);
    } catch (error) {
      if (!(error instanceof BadRequestError || error instanceof ConflictError)) throw error;
      res.status(error.statusCode).send(render({ errors: problemsOf(error, 'name') }));
    }
  };

  router.get('/operator/schedules', async (req, res) => {
    res.send(schedulesListPage(req, await schedules.list()));
  });

  router.get('/operator/schedules/new', (req, res) => {
    const kind = schedules.kinds.includes(String(req.query.kind)) ? String(req.query.kind) : schedules.kinds[0]!;
    res.send(scheduleFormPage(req, { kinds: schedules.kinds, describe: (kind) => schedules.describe(kind), values: { name: '', kind, pattern: '0 2 * * *', tz: 'UTC', data: '' }, action: '/operator/schedules', title: 'New schedule' }));
  });

  router.post('/operator/schedules', (req, res) =>
    submitForm(req, res, { action: '/operator/schedules', title: 'New schedule', save: (values) => schedules.create(values, actorOf(req)) }),
  );

  router.get('/operator/schedules/:id', async (req, res) => {
    const id = idParam(req, 'a schedule');
    const schedule = await schedules.get(id);
    res.send(scheduleDetailPage(req, schedule, await schedules.listRuns({ scheduleId: id, limit: 25 }), (kind) => schedules.describe(kind)));
  });

  router.get('/operator/schedules/:id/edit', async (req, res) => {
    const schedule = await schedules.get(idParam(req, 'a schedule'));
    res.send(scheduleFormPage(req, { kinds: schedules.kinds, describe: (kind) => schedules.describe(kind), values: valuesOf(schedule), action: `/operator/schedules/${schedule.id}/edit`, title: `Edit schedule ${schedule.name}` }));
  });

  router.post('/operator/schedules/:id/edit', async (req, res) => {
    const id = idParam(req, 'a schedule');
    const schedule = await schedules.get(id);
    await submitForm(req, res, { action: `/operator/schedules/${id}/edit`, title: `Edit schedule ${schedule.name}`, save: (values) => schedules.update(id, values, actorOf(req)) });
  });

  router.post('/operator/schedules/:id/pause', async (req, res) => {
    const id = idParam(req, 'a schedule');
    await schedules.pause(id, actorOf(req));
    res.redirect(303, `/operator/schedules/${id}?notice=schedule-paused`);
  });

  router.post('/operator/schedules/:id/resume', async (req, res) => {
    const id = idParam(req, 'a schedule');
    await schedules.resume(id, actorOf(req));
    res.redirect(303, `/operator/schedules/${id}?notice=schedule-resumed`);
  });

  router.post('/operator/schedules/:id/run', async (req, res) => {
    const id = idParam(req, 'a schedule');
    await schedules.runNow(id, actorOf(req));
    res.redirect(303, `/operator/schedules/${id}?notice=run-queued`);
  });

  router.get('/operator/schedules/:id/delete', async (req, res) => {
    res.send(scheduleDeletePage(req, await schedules.get(idParam(req, 'a schedule'))));
  });

  router.post('/operator/schedules/:id/delete', async (req, res) => {
    await schedules.remove(idParam(req, 'a schedule'), actorOf(req));
    res.redirect(303, '/operator/schedules?notice=schedule-removed');
  });

  router.get('/operator/runs', async (req, res) => {
    const kind = schedules.kinds.includes(String(req.query.kind)) ? String(req.query.kind) : undefined;
    const outcome = ['running', 'completed', 'failed', 'interrupted'].includes(String(req.query.outcome)) ? (String(req.query.outcome) as RunOutcome) : undefined;
    const runs = await schedules.listRuns({ kind, outcome, limit: 100 });
    res.send(
      consolePage(
        req,
        'runs',
        'Job runs',
        runsPageBody(schedules.kinds, kind, outcome, runsTable(req, runs, 'Latest job runs, newest first')),
      ),
    );
  });

  router.post('/operator/runs/:id/retry', async (req, res) => {
    await schedules.retryRun(idParam(req, 'a job run', 'bigint'), actorOf(req));
    res.redirect(303, '/operator/runs?notice=run-retried');
  });

  return router;
}


function runsPageBody(kinds: readonly string[], kind: string | undefined, outcome: string | undefined, table: SafeHtml): SafeHtml {
  return html`<h1>Job runs</h1>
    <p class="usa-intro">Every attempt of every batch job: start, duration, outcome, counts and failure reason. Kept in the database, so the history outlives the queue's own job retention.</p>
    <form class="usa-form usa-form--large" method="get" action="/operator/runs">
      <label class="usa-label" for="filter-kind">Job kind</label>
      <select class="usa-select" id="filter-kind" name="kind"><option value="">all</option>${kinds.map((k) => html`<option value="${k}"${k === kind ? ' selected' : ''}>${k}</option>`)}</select>
      <label class="usa-label" for="filter-outcome">Outcome</label>
      <select class="usa-select" id="filter-outcome" name="outcome"><option value="">all</option>${['running', 'completed', 'failed', 'interrupted'].map((o) => html`<option value="${o}"${o === outcome ? ' selected' : ''}>${o}</option>`)}</select>
      <button class="usa-button usa-button--outline" type="submit">Filter</button>
    </form>
    ${table}`;
}
