import type { Request } from 'express';
import { html, type SafeHtml } from '../web/html';
import { layout } from '../web/layout';

export type ConsoleSection = 'dashboard' | 'schedules' | 'runs' | 'categories' | 'mailers' | 'postcards' | 'imports' | 'addresses' | 'operators' | 'audit' | 'queues' | 'account';

const NAV: { section: ConsoleSection; href: string; label: string }[] = [
  { section: 'dashboard', href: '/operator', label: 'Dashboard' },
  { section: 'schedules', href: '/operator/schedules', label: 'Schedules' },
  { section: 'runs', href: '/operator/runs', label: 'Job runs' },
  { section: 'categories', href: '/operator/categories', label: 'Categories' },
  { section: 'mailers', href: '/operator/mailers', label: 'Mailers' },
  { section: 'postcards', href: '/operator/postcards', label: 'Postcards' },
  { section: 'imports', href: '/operator/imports', label: 'Imports' },
  { section: 'addresses', href: '/operator/addresses', label: 'Addresses' },
  { section: 'operators', href: '/operator/operators', label: 'Operators' },
  { section: 'audit', href: '/operator/audit', label: 'Audit log' },
  { section: 'queues', href: '/operator/queues', label: 'Queues' },
];

/** Fixed texts for ?notice=…, so a link cannot make the console show arbitrary words. */
const NOTICES: Record<string, string> = {
  'password-changed': 'Your password has been changed.',
  'schedule-saved': 'The schedule has been saved.',
  'schedule-paused': 'The schedule is paused: it will not run until you resume it.',
  'schedule-resumed': 'The schedule is running again.',
  'schedule-removed': 'The schedule has been deleted.',
  'run-queued': 'The job has been queued; refresh this page to see its run.',
  'run-retried': 'The failed run has been queued again.',
  'category-saved': 'The category has been saved.',
  'category-retired': 'The category has been retired. Its history is kept.',
  'category-restored': 'The category is active again.',
  'import-queued': 'The file has been uploaded and its import job queued.',
  'operator-disabled': 'The operator is disabled: they cannot sign in, and their sessions have ended.',
  'operator-enabled': 'The operator can sign in again.',
};

export function csrfField(req: Request): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${req.csrfToken!()}">`;
}

/** An action's refusal that belongs to no form field (a button's): a plain alert; form problems use errorSummary. */
export function errorAlert(message: string | undefined): SafeHtml {
  if (!message) return html``;
  return html`<div class="usa-alert usa-alert--error usa-alert--slim" role="alert"><div class="usa-alert__body"><p class="usa-alert__text">${message}</p></div></div>`;
}

function noticeAlert(req: Request): SafeHtml {
  const text = NOTICES[String(req.query.notice ?? '')];
  if (!text) return html``;
  return html`<div class="usa-alert usa-alert--success usa-alert--slim" role="status"><div class="usa-alert__body"><p class="usa-alert__text">${text}</p></div></div>`;
}

/** A console page: the USWDS frame, console navigation, who is signed in, and a sign-out button. */
export function consolePage(req: Request, section: ConsoleSection, title: string, body: SafeHtml): string {
  const operator = req.operator;
  return layout({
    title,
    serviceName: 'mailpref operator console',
    homeHref: '/operator',
    headerClass: 'mp-console-header',
    nav: operator && !operator.mustChangePassword ? NAV.map((item) => ({ href: item.href, label: item.label, current: item.section === section })) : [],
    headerExtra: operator
      ? html`<form class="mp-signout" method="post" action="/operator/sign-out">
          ${csrfField(req)}<span class="mp-signed-in">Signed in as <a class="usa-link" href="/operator/password">${operator.email}</a></span>
          <button class="usa-button usa-button--unstyled" type="submit">Sign out</button></form>`
      : undefined,
    body: html`${noticeAlert(req)}${body}`,
  });
}

export function formatTime(value: Date | null | undefined, timeZone = 'UTC'): string {
  if (!value) return '—';
  return `${value.toLocaleString('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).replace(',', '')} ${timeZone === 'UTC' ? 'UTC' : timeZone}`;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
