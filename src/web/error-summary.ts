import { html, type SafeHtml } from './html';
import type { AppError, FieldProblem } from '../lib/errors';

/** A problem with one form field; `field` is the id of the control the message belongs to. */
export type FieldError = FieldProblem;

/**
 * The problems a refused form shows: each listed in `details.errors` (see fieldsError), else the
 * error's own message at `details.field`, else at `fallback` (the form's first or only field).
 * `prefix` maps a service's field name to the control's id when a page holds several forms.
 */
export function problemsOf(error: AppError, fallback: string, prefix = ''): FieldError[] {
  const listed = error.details?.errors as FieldError[] | undefined;
  const problems = listed?.length ? listed : [{ field: String(error.details?.field ?? fallback), message: error.message }];
  return problems.map((problem) => ({ field: `${prefix}${problem.field}`, message: problem.message }));
}

/** The USWDS error summary at the top of a form: every problem, each linking to its field. */
export function errorSummary(heading: string, errors: FieldError[]): SafeHtml {
  if (errors.length === 0) return html``;
  return html`<div class="usa-alert usa-alert--error margin-bottom-3" role="alert" aria-labelledby="error-summary-heading">
    <div class="usa-alert__body">
      <h2 class="usa-alert__heading" id="error-summary-heading">${heading}</h2>
      <ul class="usa-list usa-list--unstyled">
        ${errors.map((error) => html`<li><a class="usa-link" href="#${error.field}">${error.message}</a></li>`)}
      </ul>
    </div>
  </div>`;
}
