import { Router } from 'express';
import { stringify } from 'csv-stringify';
import { SPREADSHEET_SAFE_CELLS } from '../lib/spreadsheet-cells';
import { NotFoundError } from '../lib/errors';
import { parseSerialId } from '../lib/ids';
import { html } from '../web/html';
import type { AuditService } from './audit-service';
import { consolePage, formatTime } from '../operator/console-layout';
import { actorOf } from '../operator/operator-auth';

const PAGE_SIZE = 100;
const EXPORT_PAGE = 1000;

export function auditRoutes(audit: AuditService): Router {
  const router = Router();
  router.get('/operator/audit', async (req, res) => {
    const actions = await audit.actions();
    const action = actions.includes(String(req.query.action)) ? String(req.query.action) : undefined;
    const before = req.query.before === undefined ? undefined : parseSerialId(req.query.before, 'bigint');
    if (req.query.before !== undefined && before === undefined) throw new NotFoundError(`There is no audit entry "${String(req.query.before)}" to list entries before`);
    const entries = await audit.list({ action, before, limit: PAGE_SIZE });
    const older = entries.length === PAGE_SIZE ? entries[entries.length - 1]!.id : undefined;
    res.send(
      consolePage(
        req,
        'audit',
        'Audit log',
        html`<h1>Audit log</h1>
          <p class="usa-intro">Every action taken in the console or with the <code>mailpref</code> command: who, what, when and on what.</p>
          <form class="usa-form" method="get" action="/operator/audit">
            <label class="usa-label" for="action">Action</label>
            <select class="usa-select" id="action" name="action"><option value="">all</option>${actions.map((a) => html`<option value="${a}"${a === action ? ' selected' : ''}>${a}</option>`)}</select>
            <button class="usa-button usa-button--outline" type="submit">Filter</button>
          </form>
          <p><a class="usa-link" href="/operator/audit.csv${action ? `?action=${encodeURIComponent(action)}` : ''}" download>Download ${action ? `every ${action} entry` : 'the whole log'} as CSV</a></p>
          <div class="mp-table-wrap" tabindex="0" role="region" aria-label="Operator actions, newest first"><table class="usa-table usa-table--striped usa-table--compact mp-audit">
            <caption>Operator actions, newest first</caption>
            <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">On what</th><th scope="col">Details</th></tr></thead>
            <tbody>${entries.map(
              (entry) => html`<tr><td>${formatTime(entry.at)}</td><td>${entry.actor}</td><td>${entry.action}</td><td>${entry.targetType} ${entry.targetId}</td>
                <td><code>${Object.keys(entry.details).length ? JSON.stringify(entry.details) : ''}</code></td></tr>`,
            )}</tbody></table></div>
          ${older ? html`<p><a class="usa-link" href="/operator/audit?before=${older}${action ? `&action=${action}` : ''}">Older entries</a></p>` : ''}`,
      ),
    );
  });
  // The whole log (or one action's entries) as CSV, read a page at a time. Actors, targets and
  // details come partly from what people typed (emails, file names): cells a spreadsheet would run
  // as formulas are written as text.
  router.get('/operator/audit.csv', async (req, res) => {
    const actions = await audit.actions();
    const action = actions.includes(String(req.query.action)) ? String(req.query.action) : undefined;
    await audit.record(actorOf(req), 'audit.export', { type: 'audit', id: action ?? 'all' });
    res.attachment(`mailpref-audit${action ? `-${action}` : ''}-${new Date().toISOString().slice(0, 10)}.csv`).type('text/csv');
    const csv = stringify({ header: true, columns: ['id', 'at', 'actor', 'action', 'target_type', 'target_id', 'details'], ...SPREADSHEET_SAFE_CELLS });
    csv.on('error', (error) => res.destroy(error));
    csv.pipe(res);
    let before: number | undefined;
    for (;;) {
      const entries = await audit.list({ action, before, limit: EXPORT_PAGE });
      for (const entry of entries) {
        if (!csv.write([entry.id, entry.at.toISOString(), entry.actor, entry.action, entry.targetType, entry.targetId, JSON.stringify(entry.details)])) {
          await new Promise((resolve) => csv.once('drain', resolve));
        }
      }
      if (entries.length < EXPORT_PAGE) break;
      before = entries[entries.length - 1]!.id;
    }
    csv.end();
  });

  return router;
}
