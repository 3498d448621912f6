import { html } from '../web/html';
import { categoryText, formatDate } from '../web/translations';
import type { ChoicesView, CurrentChoice, DeliveryPoint } from './choices-service';
import { addressLines, csrfField, errorSummary, page, textField, type FieldError, type PageContext } from './recipient-page-parts';

export function startPage(ctx: PageContext): string {
  const { t } = ctx;
  return page(
    ctx,
    t.startTitle,
    html`<h1>${t.startTitle}</h1>
      <p class="usa-intro">${t.startIntro}</p>
      <h2>${t.startWhatHeading}</h2>
      <ul class="usa-list"><li>${t.startWhat1}</li><li>${t.startWhat2}</li><li>${t.startWhat3}</li></ul>
      <h2>${t.startNotHeading}</h2>
      <ul class="usa-list"><li>${t.startNot1}</li><li>${t.startNot2}</li></ul>
      <h2>${t.startCodeHeading}</h2>
      <p>${t.startCodeText}</p>
      <p><a class="usa-button usa-button--big" href="/code">${t.startButton}</a></p>
      <ul class="usa-list usa-list--unstyled mp-links">
        <li><a class="usa-link" href="/lost-card">${t.startNoCard}</a></li>
        <li><a class="usa-link" href="/privacy">${t.startPrivacy}</a></li>
        <li><a class="usa-link" href="/categories">${t.startCategories}</a></li>
      </ul>`,
  );
}

export function privacyPage(ctx: PageContext): string {
  return page(ctx, ctx.t.privacyTitle, html`<h1>${ctx.t.privacyTitle}</h1>${ctx.t.privacyBody.map((paragraph) => html`<p>${paragraph}</p>`)}`);
}

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
      <form class="usa-form usa-form--large" method="post" action="/choices">
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

export function checkPage(ctx: PageContext, point: DeliveryPoint, shown: CurrentChoice[], accepted: Set<string>): string {
  const { t } = ctx;
  return page(
    ctx,
    t.checkTitle,
    html`<h1>${t.checkTitle}</h1>
      <p>${t.checkIntro}</p>
      ${addressLines(point)}
      <table class="usa-table usa-table--borderless usa-table--stacked width-full">
        <thead><tr><th scope="col">${t.checkKind}</th><th scope="col">${t.checkChoice}</th></tr></thead>
        <tbody>
          ${shown.map(
            (choice) => html`<tr><th scope="row" data-label="${t.checkKind}">${categoryText(ctx.lang, choice).name}</th>
              <td data-label="${t.checkChoice}" class="mp-choice-${accepted.has(choice.slug) ? 'accept' : 'refuse'}">${accepted.has(choice.slug) ? t.checkAccept : t.checkRefuse}</td></tr>`,
          )}
        </tbody>
      </table>
      <form method="post" action="/confirm">
        ${csrfField(ctx)}
        ${shown.map((choice) => html`<input type="hidden" name="shown" value="${choice.slug}">`)}
        ${[...accepted].map((slug) => html`<input type="hidden" name="accept" value="${slug}">`)}
        <button class="usa-button" type="submit">${t.confirmButton}</button>
      </form>
      <form method="post" action="/choices/edit" class="margin-top-2">
        ${csrfField(ctx)}
        ${[...accepted].map((slug) => html`<input type="hidden" name="accept" value="${slug}">`)}
        <button class="usa-button usa-button--outline" type="submit">${t.checkChange}</button>
      </form>`,
  );
}

export function confirmationPage(ctx: PageContext, reference: string, view: ChoicesView, changed: boolean): string {
  const { t } = ctx;
  return page(
    ctx,
    t.confirmationTitle,
    html`<div class="usa-summary-box" role="region" aria-labelledby="confirmation-heading">
        <div class="usa-summary-box__body">
          <h1 class="usa-summary-box__heading" id="confirmation-heading">${t.confirmationTitle}</h1>
          <div class="usa-summary-box__text">
            <p>${t.confirmationReference}: <strong class="mp-reference">${reference}</strong></p>
            <p>${t.confirmationEffective}</p>
            ${changed ? '' : html`<p>${t.confirmationNoChange}</p>`}
          </div>
        </div>
      </div>
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
