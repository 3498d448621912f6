import { Router, type Request } from 'express';
import { AppError } from '../lib/errors';
import { html, type SafeHtml } from '../web/html';
import { tableRegion } from '../web/table-region';
import { errorSummary, type FieldError } from '../web/error-summary';
import { fieldParts } from '../web/form-field';
import type { Operator, OperatorsService } from './operators-service';
import { consolePage, csrfField, formatTime } from './console-layout';
import { actorOf } from './operator-auth';

function stateOf(operator: Operator): string {
  return operator.disabled ? 'disabled' : operator.mustChangePassword ? 'one-time password not yet changed' : 'active';
}

/** A one-time password, shown once on the page that made it (never stored, never in a URL). */
function passwordBox(email: string, password: string): SafeHtml {
  return html`<div class="usa-summary-box margin-y-3" role="status" aria-labelledby="one-time-heading"><div class="usa-summary-box__body">
    <h2 class="usa-summary-box__heading" id="one-time-heading">One-time password for ${email}</h2>
    <p><code class="mp-secret">${password}</code></p>
    <p>It is shown only now. Give it to ${email} in person or by phone; they choose their own password at first sign-in.</p>
  </div></div>`;
}

function page(req: Request, operators: Operator[], extra: { errors?: FieldError[]; email?: string; issued?: SafeHtml } = {}): string {
  const errors = extra.errors ?? [];
  const email = fieldParts('email', 'Email', errors);
  const self = req.operator!.id;
  const button = (operator: Operator, action: string, label: string, style = 'usa-button--outline') =>
    html`<form class="mp-inline-form" method="post" action="/operator/operators/${operator.id}/${action}">${csrfField(req)}
      <button class="usa-button ${style}" type="submit">${label}<span class="usa-sr-only"> ${operator.email}</span></button></form>`;
  return consolePage(
    req,
    'operators',
    errors.length ? 'Error: Operators' : 'Operators',
    html`<h1>Operators</h1>
      <p class="usa-intro">Who can sign in to this console. A new operator, or one whose password is reset, gets a one-time password to change at first sign-in; disabling ends their sessions at once. The same as <code>mailpref operators …</code>.</p>
      ${extra.issued ?? ''}
      ${tableRegion(
        'Operator accounts',
        html`<table class="usa-table usa-table--striped usa-table--compact mp-operators">
          <caption>Operator accounts</caption>
          <thead><tr><th scope="col">Email</th><th scope="col">State</th><th scope="col">Last sign-in</th><th scope="col"><span class="usa-sr-only">Actions</span></th></tr></thead>
          <tbody>${operators.map(
            (operator) => html`<tr>
              <th scope="row">${operator.email}${operator.id === self ? ' (you)' : ''}</th>
              <td>${stateOf(operator)}</td>
              <td>${formatTime(operator.lastSignInAt)}</td>
              <td>${operator.id === self
                ? ''
                : html`${operator.disabled ? button(operator, 'enable', 'Enable') : html`${button(operator, 'reset-password', 'Reset password')}${button(operator, 'disable', 'Disable', 'usa-button--secondary')}`}`}</td>
            </tr>`,
          )}</tbody></table>`,
      )}
      <h2>Add an operator</h2>
      ${errorSummary('There is a problem', errors)}
      <form class="usa-form" method="post" action="/operator/operators" novalidate>${csrfField(req)}
        <div class="${email.group}">${email.label}
          <input class="usa-input${email.error ? ' usa-input--error' : ''}" id="email" name="email" type="email" autocomplete="off" value="${extra.email ?? ''}"${email.aria}></div>
        <button class="usa-button" type="submit">Add operator</button>
      </form>`,
  );
}

/** Operator accounts in the console: list, create, reset password, disable and enable (OperatorsService, as the CLI). */
export function operatorsConsoleRoutes(operators: OperatorsService): Router {
  const router = Router();
  const byId = async (req: Request): Promise<Operator> => {
    const found = (await operators.list()).find((operator) => String(operator.id) === req.params.id);
    if (!found) throw new AppError(404, 'UNKNOWN_OPERATOR', `No operator ${req.params.id}`);
    return found;
  };

  router.get('/operator/operators', async (req, res) => {
    res.send(page(req, await operators.list()));
  });

  router.post('/operator/operators', async (req, res) => {
    const email = typeof req.body.email === 'string' ? req.body.email.trim() : '';
    try {
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new AppError(400, 'BAD_EMAIL', 'Enter an email address, like ana@example.org', { field: 'email' });
      const created = await operators.create(email, actorOf(req));
      res.set('Cache-Control', 'no-store').send(page(req, await operators.list(), { issued: passwordBox(created.operator.email, created.password) }));
    } catch (error) {
      if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
      res.status(error.statusCode).send(page(req, await operators.list(), { errors: [{ field: 'email', message: error.message }], email }));
    }
  });

  router.post('/operator/operators/:id/reset-password', async (req, res) => {
    const operator = await byId(req);
    const password = await operators.resetPassword(operator.email, actorOf(req));
    res.set('Cache-Control', 'no-store').send(page(req, await operators.list(), { issued: passwordBox(operator.email, password) }));
  });

  for (const [action, disabled] of [['disable', true], ['enable', false]] as const) {
    router.post(`/operator/operators/:id/${action}`, async (req, res) => {
      await operators.setDisabled((await byId(req)).email, disabled, actorOf(req));
      res.redirect(303, `/operator/operators?notice=operator-${action}d`);
    });
  }

  return router;
}
