import { Router } from 'express';
import { html, type SafeHtml } from '../web/html';
import { tableRegion } from '../web/table-region';
import { errorSummary } from '../web/error-summary';
import { fieldParts } from '../web/form-field';
import type { ChoicesService } from '../choices/choices-service';
import { lookUpAddress, type AddressLookup } from '../choices/address-lookup';
import type { AuditService } from '../audit/audit-service';
import { consolePage, formatTime } from './console-layout';
import { actorOf } from './operator-auth';

function state(accepted: boolean | null): string {
  return accepted === null ? 'accepts (never answered)' : accepted ? 'accepts' : 'refuses';
}

function result(found: Extract<AddressLookup, { ok: true }>): SafeHtml {
  if (!found.view) {
    return html`<h2>No choices recorded</h2><p>Delivery-point key <code>${found.key}</code>: this address never answered, so it accepts every category (the default).</p>`;
  }
  const { view, history } = found;
  const point = view.deliveryPoint;
  return html`<h2>${point.line}, ${[point.city, point.state, point.zip5].filter(Boolean).join(' ')}</h2>
    <p>Delivery-point key <code>${point.key}</code>; last change ${view.lastChangeAt ? formatTime(view.lastChangeAt) : 'never'}.</p>
    ${tableRegion(
      'Current choices',
      html`<table class="usa-table usa-table--striped usa-table--compact mp-current-choices">
        <caption>Current choices</caption>
        <thead><tr><th scope="col">Category</th><th scope="col">Choice</th><th scope="col">Since</th></tr></thead>
        <tbody>${view.choices.map(
          (choice) => html`<tr><th scope="row">${choice.name}${choice.active ? '' : ' (retired)'}</th><td>${state(choice.accepted)}</td><td>${choice.updatedAt ? formatTime(choice.updatedAt) : '—'}</td></tr>`,
        )}</tbody></table>`,
    )}
    <h2>History</h2>
    ${history.length === 0
      ? html`<p>No events.</p>`
      : tableRegion(
          'History of choices',
          html`<table class="usa-table usa-table--striped usa-table--compact mp-choice-history">
            <caption>Every change, newest first (${history.length} event${history.length === 1 ? '' : 's'})</caption>
            <thead><tr><th scope="col">When</th><th scope="col">Category</th><th scope="col">Change</th><th scope="col">Source</th><th scope="col">By</th><th scope="col">Reference</th></tr></thead>
            <tbody>${[...history].reverse().map(
              (event) => html`<tr><td>${formatTime(event.at)}</td><td>${event.name}</td><td>${event.previous === null ? 'no answer' : state(event.previous)} → ${state(event.accepted)}</td>
                <td>${event.source}</td><td>${event.actor}</td><td>${event.reference ?? '—'}</td></tr>`,
            )}</tbody></table>`,
        )}`;
}

/** An address's current choices and every change (what `mailpref choices show` prints); each look-up is audited. */
export function addressRoutes(choices: ChoicesService, audit: AuditService): Router {
  const router = Router();
  router.get('/operator/addresses', async (req, res) => {
    const address = typeof req.query.address === 'string' ? req.query.address.trim().slice(0, 300) : '';
    const found = address ? await lookUpAddress(choices, address) : undefined;
    if (found) await audit.record(actorOf(req), 'address.look-up', { type: 'address', id: found.ok ? found.key : address });
    const errors = found && !found.ok ? [{ field: 'address', message: `The address cannot be read: ${found.message}` }] : [];
    const field = fieldParts('address', 'Address', errors, 'On one line, e.g. 45 Maple Ave Apt 3B, Boston, MA 02134');
    res.status(errors.length ? 400 : 200).send(
      consolePage(
        req,
        'addresses',
        errors.length ? 'Error: Address look-up' : 'Address look-up',
        html`<h1>Address look-up</h1>
          <p class="usa-intro">An address's current choices and every change to them: who, when, from what to what. Each look-up is recorded in the audit log.</p>
          ${errorSummary('There is a problem', errors)}
          <form class="usa-form usa-form--large" method="get" action="/operator/addresses" role="search" aria-label="Address look-up">
            <div class="${field.group}">${field.label}
              <input class="usa-input${field.error ? ' usa-input--error' : ''}" id="address" name="address" value="${address}" autocomplete="off"${field.aria}></div>
            <button class="usa-button" type="submit">Look up</button>
          </form>
          ${found?.ok ? result(found) : ''}`,
      ),
    );
  });
  return router;
}
