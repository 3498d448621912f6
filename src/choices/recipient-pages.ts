import { html } from '../web/html';
import { categoryText, formatDate, formatDay } from '../web/translations';
import type { ChoicesView, CurrentChoice, DeliveryPoint } from './choices-service';
import { addressLines, csrfField, errorSummary, page, textField, type FieldError, type PageContext } from './recipient-page-parts';

export function codePage(ctx: PageContext, values: { code?: string; zip?: string }, errors: FieldError[], notice?: string): string {
  const { t } = ctx;
  return page(
    ctx,
    t.codeTitle,
    html`${errorSummary(ctx, errors)}
      ${notice ? html`<div class="usa-alert usa-alert--info usa-alert--slim margin-bottom-3"><div class="usa-alert__body"><p class="usa-alert__text">${notice}</p></div></div>` : ''}
      <h1>${t.codeTitle}</h1>
      <form class="usa-form" method="post" action="/code" novalidate>
        ${csrfField(ctx)}
        ${textField({ id: 'code', label: t.codeLabel, hint: t.codeHint, value: values.code, errors, autocomplete: 'off', width: 'medium', spellcheck: false })}
        ${textField({ id: 'zip', label: t.zipLabel, hint: t.zipHint, value: values.zip, errors, autocomplete: 'postal-code', inputmode: 'numeric', width: 'small' })}
        <button class="usa-button" type="submit">${t.continueButton}</button>
      </form>
      <p class="margin-top-4"><a class="usa-link" href="/lost-card">${t.startNoCard}</a></p>`,
    errors,
  );
}

function lastChange(ctx: PageContext, at: Date | null): string {
  return at ? formatDate(ctx.lang, at) : ctx.t.choicesNeverChanged;
}

export function choicesPage(ctx: PageContext, view: ChoicesView, selected?: Set<string>): string {
  const { t } = ctx;
  const active = view.choices.filter((choice) => choice.active);
  const ticked = (choice: CurrentChoice) => (selected ? selected.has(choice.slug) : choice.accepted !== false);
  return page(
    ctx,
    t.choicesTitle,
    html`<h1>${t.choicesTitle}</h1>
      <dl class="mp-summary">
        <dt>${t.choicesAddress}</dt><dd>${addressLines(view.deliveryPoint)}</dd>
        <dt>${t.choicesLastChange}</dt><dd>${lastChange(ctx, view.lastChangeAt)}</dd>
      </dl>
      <h2>${t.choicesAllHeading}</h2>
      <form method="post" action="/choices" class="mp-all-at-once">
        ${csrfField(ctx)}
        <button class="usa-button usa-button--outline" type="submit" name="all" value="accept">${t.choicesAcceptAll}</button>
        <button class="usa-button usa-button--outline" type="submit" name="all" value="refuse">${t.choicesRefuseAll}</button>
      </form>
      <p>${t.choicesOneByOne}</p>
      <form class="usa-form usa-form--large" id="choices-form" method="post" action="/choices">
        ${csrfField(ctx)}
        <fieldset class="usa-fieldset">
          <legend class="usa-legend usa-legend--large">${t.choicesLegend}</legend>
          <span class="usa-hint" id="choices-hint">${t.choicesHint}</span>
          ${active.map((choice) => {
            const text = categoryText(ctx.lang, choice);
            const id = `accept-${choice.slug}`;
            return html`<div class="usa-checkbox">
              <input class="usa-checkbox__input usa-checkbox__input--tile" id="${id}" type="checkbox" name="accept" value="${choice.slug}"${ticked(choice) ? html` checked` : ''} aria-describedby="choices-hint">
              <label class="usa-checkbox__label" for="${id}">${text.name}<span class="usa-checkbox__label-description">${text.description}</span></label>
            </div>`;
          })}
        </fieldset>
        <button class="usa-button" type="submit">${t.choicesButton}</button>
      </form>`,
  );
}

/** GOV.UK's summary list: one row per kind, stacked on a phone, side by side on a wider screen. */
export function checkPage(ctx: PageContext, point: DeliveryPoint, shown: CurrentChoice[], accepted: Set<string>): string {
  const { t } = ctx;
  return page(
    ctx,
    t.checkTitle,
    html`<h1>${t.checkTitle}</h1>
      <p>${t.checkIntro}</p>
      ${addressLines(point)}
      <dl class="mp-summary-list">
        ${shown.map((choice) => {
          const yes = accepted.has(choice.slug);
          return html`<div class="mp-summary-list__row"><dt>${categoryText(ctx.lang, choice).name}</dt>
            <dd class="mp-choice-${yes ? 'accept' : 'refuse'}">${yes ? t.checkAccept : t.checkRefuse}</dd></div>`;
        })}
      </dl>
      <form method="post" action="/confirm">
        ${csrfField(ctx)}
        <button class="usa-button" type="submit">${t.confirmButton}</button>
      </form>
      <p class="margin-top-2"><a class="usa-link" href="/choices">${t.checkChange}</a></p>`,
  );
}

/** What happens next, honestly: lists cleansed before today may be mailed until they expire. */
export function confirmationPage(ctx: PageContext, reference: string, view: ChoicesView, changed: boolean, freshnessDays: number): string {
  const { t } = ctx;
  const lastInFlight = formatDay(ctx.lang, new Date(Date.now() + freshnessDays * 86_400_000));
  return page(
    ctx,
    t.confirmationTitle,
    html`<div class="usa-summary-box" role="region" aria-labelledby="confirmation-heading">
        <div class="usa-summary-box__body">
          <h1 class="usa-summary-box__heading" id="confirmation-heading">${t.confirmationTitle}</h1>
          <div class="usa-summary-box__text">
            <p>${t.confirmationReference}: <strong class="mp-reference">${reference}</strong></p>
            ${changed ? '' : html`<p>${t.confirmationNoChange}</p>`}
          </div>
        </div>
      </div>
      <h2>${t.confirmationNextHeading}</h2>
      <ul class="usa-list mp-next">
        <li>${t.confirmationEffective}</li>
        <li>${t.confirmationInFlight.replace('{days}', String(freshnessDays)).replace('{date}', lastInFlight)}</li>
        <li>${t.confirmationFirstClass}</li>
      </ul>
      <dl class="mp-summary">
        <dt>${t.choicesAddress}</dt><dd>${addressLines(view.deliveryPoint)}</dd>
        <dt>${t.choicesLastChange}</dt><dd>${lastChange(ctx, view.lastChangeAt)}</dd>
      </dl>
      <ul class="usa-list mp-current">
        ${view.choices
          .filter((choice) => choice.active)
          .map((choice) => html`<li>${categoryText(ctx.lang, choice).name}: ${choice.accepted === false ? t.checkRefuse : t.checkAccept}</li>`)}
      </ul>
      <p>${t.confirmationKeepCard}</p>
      <p><a class="usa-button usa-button--outline" href="/choices">${t.confirmationChangeAgain}</a></p>
      <form method="post" action="/sign-out">${csrfField(ctx)}<button class="usa-button" type="submit">${t.confirmationFinish}</button></form>`,
  );
}
