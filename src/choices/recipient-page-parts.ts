import { html, type SafeHtml } from '../web/html';
import { errorSummary as sharedErrorSummary, type FieldError } from '../web/error-summary';
import { fieldParts } from '../web/form-field';
import { layout } from '../web/layout';
import type { Lang, Messages } from '../web/translations';

/** What every household page needs: the language, its texts, the path (for the language switch). */
export interface PageContext {
  lang: Lang;
  t: Messages;
  path: string;
  csrf?: string;
}

export type { FieldError };

export function page(ctx: PageContext, title: string, body: SafeHtml, errors: FieldError[] = []): string {
  const other: Lang = ctx.lang === 'en' ? 'es' : 'en';
  return layout({
    title: errors.length > 0 ? `${ctx.t.errorPrefix}: ${title}` : title,
    body,
    lang: ctx.lang,
    serviceName: ctx.t.serviceName,
    labels: { skipToMain: ctx.t.skipToMain, returnToTop: ctx.t.returnToTop },
    nav: [
      { href: '/', label: ctx.t.navStart, current: ctx.path === '/' },
      { href: '/categories', label: ctx.t.navCategories, current: ctx.path === '/categories' },
      { href: '/privacy', label: ctx.t.navPrivacy, current: ctx.path === '/privacy' },
    ],
    footerLinks: {
      label: ctx.t.footerLabel,
      links: [
        { href: '/contact', label: ctx.t.footerContact },
        { href: '/accessibility', label: ctx.t.footerAccessibility },
        { href: '/privacy', label: ctx.t.footerPrivacy },
      ],
    },
    headerExtra: html`<p class="mp-language"><a class="usa-link" href="${ctx.path}?lang=${other}" lang="${other}" hreflang="${other}">${ctx.t.switchTo}</a></p>`,
  });
}

/** The USWDS error summary: every problem, each linking to its field. */
export function errorSummary(ctx: PageContext, errors: FieldError[]): SafeHtml {
  return sharedErrorSummary(ctx.t.errorSummaryHeading, errors);
}

export function csrfField(ctx: PageContext): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrf ?? ''}">`;
}

export interface TextFieldOptions {
  id: string;
  label: string;
  hint?: string;
  value?: string;
  errors: FieldError[];
  autocomplete?: string;
  inputmode?: string;
  width?: 'small' | 'medium' | 'xl';
  spellcheck?: boolean;
}

export function textField(options: TextFieldOptions): SafeHtml {
  const field = fieldParts(options.id, options.label, options.errors, options.hint);
  return html`<div class="${field.group}">
    ${field.label}
    <input class="usa-input${field.error ? ' usa-input--error' : ''}${options.width ? ` usa-input--${options.width}` : ''}" id="${options.id}" name="${options.id}" type="text"
      value="${options.value ?? ''}"${field.aria}${options.autocomplete ? html` autocomplete="${options.autocomplete}"` : ''}${
        options.inputmode ? html` inputmode="${options.inputmode}"` : ''
      }${options.spellcheck === false ? html` spellcheck="false" autocapitalize="characters"` : ''}>
  </div>`;
}

/** "a, b and c" in the page's language. */
export function listOf(ctx: PageContext, items: string[]): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${ctx.t.listAnd} ${items[items.length - 1]}`;
}

export function addressLines(point: { line: string; city: string; state: string; zip5: string }): SafeHtml {
  return html`<address class="mp-address">${point.line}<br>${[point.city, point.state, point.zip5].filter(Boolean).join(' ')}</address>`;
}
