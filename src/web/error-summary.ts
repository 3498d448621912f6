import { html, type SafeHtml } from './html';

/** A problem with one form field; `field` is the id of the control the message belongs to. */
export interface FieldError {
  field: string;
  message: string;
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
