import { html, type SafeHtml } from './html';
import type { FieldError } from './error-summary';

/**
 * The parts every form control shares, wired the way USWDS and screen readers expect: the group
 * class, the label with its hint and error message, and the aria attributes that tie them to the
 * control (`aria-describedby`, `aria-invalid`). The caller writes the control itself.
 */
export function fieldParts(id: string, label: string, errors: FieldError[], hint?: SafeHtml | string) {
  const error = errors.find((candidate) => candidate.field === id);
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return {
    error,
    group: `usa-form-group${error ? ' usa-form-group--error' : ''}`,
    label: html`<label class="usa-label${error ? ' usa-label--error' : ''}" for="${id}" id="${id}-label">${label}</label>
      ${hint ? html`<div class="usa-hint" id="${id}-hint">${hint}</div>` : ''}
      ${error ? html`<span class="usa-error-message" id="${id}-error">${error.message}</span>` : ''}`,
    aria: html`${describedBy ? html` aria-describedby="${describedBy}"` : ''}${error ? html` aria-invalid="true"` : ''}`,
  };
}
