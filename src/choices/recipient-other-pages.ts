import { html } from '../web/html';
import { csrfField, errorSummary, page, textField, type FieldError, type PageContext } from './recipient-page-parts';

export interface LostCardValues {
  address1?: string;
  address2?: string;
  city?: string;
  state?: string;
  zip?: string;
}

export function lostCardPage(ctx: PageContext, values: LostCardValues, errors: FieldError[]): string {
  const { t } = ctx;
  return page(
    ctx,
    t.lostTitle,
    html`${errorSummary(ctx, errors)}
      <h1>${t.lostTitle}</h1>
      <p class="usa-intro">${t.lostIntro}</p>
      <form class="usa-form usa-form--large" method="post" action="/lost-card" novalidate>
        ${csrfField(ctx)}
        ${textField({ id: 'address1', label: t.address1Label, hint: t.address1Hint, value: values.address1, errors, autocomplete: 'address-line1' })}
        ${textField({ id: 'address2', label: t.address2Label, value: values.address2, errors, autocomplete: 'address-line2' })}
        ${textField({ id: 'city', label: t.cityLabel, value: values.city, errors, autocomplete: 'address-level2' })}
        ${textField({ id: 'state', label: t.stateLabel, value: values.state, errors, autocomplete: 'address-level1', width: 'small' })}
        ${textField({ id: 'zip', label: t.lostZipLabel, value: values.zip, errors, autocomplete: 'postal-code', inputmode: 'numeric', width: 'medium' })}
        <button class="usa-button" type="submit">${t.lostButton}</button>
      </form>`,
    errors,
  );
}

/** The same answer whatever the address: it never tells whether an address is known. */
export function lostCardDonePage(ctx: PageContext): string {
  const { t } = ctx;
  return page(
    ctx,
    t.lostDoneTitle,
    html`<h1>${t.lostDoneTitle}</h1><p class="usa-intro mp-neutral-answer">${t.lostDoneBody}</p>
      <p><a class="usa-link" href="/">${t.lostDoneBack}</a></p>`,
  );
}

export function tooManyAttemptsPage(ctx: PageContext, retryAfterSeconds: number): string {
  const { t } = ctx;
  const minutes = Math.ceil(retryAfterSeconds / 60);
  const wait = retryAfterSeconds < 60 ? t.tooManyWaitSeconds.replace('{seconds}', String(Math.max(1, retryAfterSeconds))) : minutes === 1 ? t.tooManyWaitMinute : t.tooManyWait.replace('{minutes}', String(minutes));
  return page(
    ctx,
    t.tooManyTitle,
    html`<h1>${t.tooManyTitle}</h1><p class="usa-intro">${t.tooManyBody}</p><p class="mp-wait">${wait}</p>
      <p><a class="usa-link" href="/">${t.lostDoneBack}</a></p>`,
  );
}

export function formExpiredPage(ctx: PageContext): string {
  const { t } = ctx;
  return page(ctx, t.formExpiredTitle, html`<h1>${t.formExpiredTitle}</h1><p class="usa-intro">${t.formExpiredBody}</p><p><a class="usa-link" href="/">${t.lostDoneBack}</a></p>`);
}

