import { html, type SafeHtml } from '../../web/html';
import { errorSummary, type FieldError } from '../../web/error-summary';
import { fieldParts } from '../../web/form-field';
import type { MailerIdentity } from '../../mailers/mailers-service';
import type { WebhookView } from '../../mailers/webhook-settings-service';
import type { WebhookDelivery } from '../webhooks/webhook-deliveries-store';
import { portalPage } from './mailer-portal-pages';

const when = (at: Date) => `${at.toISOString().replace('T', ' ').slice(0, 19)} UTC`;

/** The secret, on the one page that shows it (made or rotated in this request; never stored in the clear). */
function secretBox(secret: string): SafeHtml {
  return html`<div class="usa-summary-box margin-y-3" role="status" aria-labelledby="secret-heading"><div class="usa-summary-box__body">
    <h2 class="usa-summary-box__heading" id="secret-heading">Your signing secret — copy it now</h2>
    <p><code class="mp-secret">${secret}</code></p>
    <p>It is shown only now. Keep it with your receiver, which checks each event's <code>Mailpref-Signature</code> header with it (<a class="usa-link" href="/api/v1/openapi.json">the API document</a> and docs/mailers.md say how). Lost it? Make a new one below.</p>
  </div></div>`;
}

export function webhookPage(mailer: MailerIdentity, csrf: string, state: { webhook?: WebhookView; secret?: string; url?: string; errors?: FieldError[] }): string {
  const errors = state.errors ?? [];
  const url = fieldParts('url', 'Webhook address', errors, 'Where mailpref posts an event (JSON, signed) when one of your lists completes or fails, e.g. https://example.com/mailpref-events.');
  const { webhook } = state;
  return portalPage(
    errors.length ? 'Error: Webhook' : 'Webhook',
    html`${errorSummary('There is a problem', errors)}
      <h1>Webhook</h1>
      <p class="usa-intro">Be told when a list is done instead of asking: mailpref posts <code>list.completed</code> or <code>list.failed</code> to your address, and tries again with growing pauses until your receiver answers with a 2xx status. Each list's page shows every attempt.</p>
      ${state.secret ? secretBox(state.secret) : ''}
      ${webhook
        ? html`<p>Events go to <code class="mp-wrap">${webhook.url}</code> (since ${when(webhook.updatedAt)}; secret made ${when(webhook.secretRotatedAt)}).</p>`
        : html`<p>No webhook yet: your lists' outcomes are only shown here and in the API.</p>`}
      <form class="usa-form usa-form--large" method="post" action="/mailer/webhook" novalidate>
        <input type="hidden" name="_csrf" value="${csrf}">
        <div class="${url.group}">${url.label}
          <input class="usa-input${url.error ? ' usa-input--error' : ''}" id="url" name="url" type="url" inputmode="url" autocomplete="url" value="${state.url ?? webhook?.url ?? ''}"${url.aria}></div>
        <button class="usa-button" type="submit">${webhook ? 'Save the address' : 'Set up the webhook'}</button>
      </form>
      ${webhook
        ? html`<h2>Signing secret</h2>
          <p>A new secret replaces the old one at once: events from then on are signed with the new one.</p>
          <form method="post" action="/mailer/webhook/secret"><input type="hidden" name="_csrf" value="${csrf}">
            <button class="usa-button usa-button--outline" type="submit">Make a new secret</button></form>
          <h2>Stop the webhook</h2>
          <form method="post" action="/mailer/webhook/delete"><input type="hidden" name="_csrf" value="${csrf}">
            <button class="usa-button usa-button--secondary" type="submit">Remove the webhook</button></form>`
        : ''}`,
    mailer,
    csrf,
    'webhook',
  );
}

/** A list's webhook attempts, for its page (none: nothing is shown). */
export function deliveriesSection(deliveries: WebhookDelivery[]): SafeHtml {
  if (deliveries.length === 0) return html``;
  const delivered = deliveries.some((delivery) => delivery.delivered);
  return html`<h2>Webhook</h2>
    <p>${delivered ? 'The event was delivered.' : 'The event has not been delivered yet; it is tried again with growing pauses.'}</p>
    <table class="usa-table usa-table--stacked usa-table--compact mp-webhook-deliveries">
      <caption>Attempts to deliver this list's webhook event, oldest first</caption>
      <thead><tr><th scope="col">Attempt</th><th scope="col">Event</th><th scope="col">Time</th><th scope="col">Answer</th><th scope="col">Took</th></tr></thead>
      <tbody>${deliveries.map(
        (delivery) => html`<tr>
          <th scope="row" data-label="Attempt">${delivery.attempt}</th>
          <td data-label="Event"><code>${delivery.event}</code></td>
          <td data-label="Time">${when(delivery.attemptedAt)}</td>
          <td data-label="Answer">${delivery.statusCode !== null ? `HTTP ${delivery.statusCode}${delivery.delivered ? ' (delivered)' : ''}` : html`no answer: ${delivery.error}`}</td>
          <td data-label="Took">${delivery.durationMs} ms</td>
        </tr>`,
      )}</tbody>
    </table>`;
}
