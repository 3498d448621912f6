import { Router } from 'express';
import type { QueueFactory } from '../lib/queues';
import { html, type SafeHtml } from '../web/html';
import type { CodeGuessAlert, CodeGuessAlertState } from '../choices/code-guess-alert';
import type { StatisticsService } from '../statistics/statistics-service';
import type { SchedulesService } from '../schedules/schedules-service';
import type { AuditService } from '../audit/audit-service';
import { consolePage, csrfField, formatTime } from './console-layout';
import { actorOf } from './operator-auth';
import { optOutChart } from './opt-out-chart';
import { runsTable } from '../schedules/schedule-pages';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/** Counts per queue; a queue that cannot be read shows as unavailable rather than failing the page. */
async function queueHealth(queues: QueueFactory, kinds: readonly string[]) {
  return Promise.all(
    kinds.map(async (kind) => {
      try {
        const counts = await queues.queue(kind).getJobCounts(...STATES);
        return { kind, counts: counts as Record<string, number>, error: undefined };
      } catch (error) {
        return { kind, counts: undefined, error: (error as Error).message };
      }
    }),
  );
}

/** The household form's alert (CodeGuessAlert): failed code entries from all addresses passed their budget. */
function codeGuessBanner(alert: CodeGuessAlertState | undefined): SafeHtml {
  if (!alert) return html``;
  return html`<div class="usa-alert usa-alert--emergency" role="alert"><div class="usa-alert__body">
    <h2 class="usa-alert__heading">Postcard codes may be being guessed</h2>
    <p class="usa-alert__text">Since ${formatTime(new Date(alert.since))}, more than ${alert.limit} failed code entries came in within ${alert.windowMinutes} minutes
    from all addresses together (FORM_FAILED_ATTEMPTS_GLOBAL). Code entry stays open, and each address keeps its own limits; look at the web server's log
    for where the entries come from.</p>
  </div></div>`;
}

export function dashboardRoutes(deps: {
  queues: QueueFactory;
  statistics: StatisticsService;
  schedules: SchedulesService;
  audit: AuditService;
  codeGuessAlert: Pick<CodeGuessAlert, 'current'>;
}): Router {
  const router = Router();

  router.get('/operator', async (req, res) => {
    const [health, running, failed, series, [latest], alert] = await Promise.all([
      queueHealth(deps.queues, deps.schedules.kinds),
      deps.schedules.listRuns({ outcome: 'running', limit: 20 }),
      deps.schedules.listRuns({ outcome: 'failed', limit: 10 }),
      deps.statistics.optOutSeries(60),
      deps.statistics.latest(1),
      deps.codeGuessAlert.current(),
    ]);
    const lists = latest?.figures.lists;
    res.send(
      consolePage(
        req,
        'dashboard',
        'Dashboard',
        html`${codeGuessBanner(alert)}<h1>Dashboard</h1>
          <h2>Opt-out share per category</h2>
          ${optOutChart(series)}
          <form class="mp-inline-form" method="post" action="/operator/statistics/snapshot">${csrfField(req)}
            <button class="usa-button usa-button--outline" type="submit">Take a statistics snapshot now</button></form>
          ${latest
            ? html`<p>Latest snapshot ${formatTime(latest.takenAt)}: ${latest.figures.households ?? '—'} known households${
                lists
                  ? html`; ${lists.cleansed} lists cleansed (${lists.cleansedLastDay} in the last day), ${lists.rowsProcessed} rows processed, ${lists.piecesSuppressed} pieces suppressed`
                  : ''
              }.</p>`
            : ''}
          <h2>Queue health</h2>
          <div class="mp-table-wrap" tabindex="0" role="region" aria-label="Jobs per queue"><table class="usa-table usa-table--compact mp-queue-health">
            <caption>Jobs per queue (<a class="usa-link" href="/operator/queues">open the queue board</a>)</caption>
            <thead><tr><th scope="col">Queue</th>${STATES.map((state) => html`<th scope="col">${state}</th>`)}</tr></thead>
            <tbody>${health.map(
              (row) => html`<tr><th scope="row">${row.kind}</th>${
                row.counts ? STATES.map((state) => html`<td>${row.counts![state] ?? 0}</td>`) : html`<td colspan="${STATES.length}">unavailable: ${row.error}</td>`
              }</tr>`,
            )}</tbody></table></div>
          <h2>Running now</h2>
          ${runsTable(req, running, 'Jobs running now')}
          <h2>Recent failures</h2>
          ${runsTable(req, failed, 'Latest failed runs')}`,
      ),
    );
  });

  router.post('/operator/statistics/snapshot', async (req, res) => {
    const job = await deps.queues.queue('statistics').add('snapshot', {});
    await deps.audit.record(actorOf(req), 'statistics.run-now', { type: 'job', id: job.id! });
    res.redirect(303, '/operator/runs?kind=statistics&notice=run-queued');
  });

  return router;
}
