import { html } from '../web/html';
import { categoryText } from '../web/translations';
import { listOf, page, type PageContext } from './recipient-page-parts';

/** What the household pages need to know about a category. */
export interface CategoryInfo {
  slug: string;
  name: string;
  description?: string;
}

/** Only the active categories are named anywhere (a retired one is never offered again). */
export function startPage(ctx: PageContext, categories: CategoryInfo[], freshnessDays: number): string {
  const { t } = ctx;
  const kinds = listOf(ctx, categories.map((category) => categoryText(ctx.lang, category).name.toLocaleLowerCase(ctx.lang)));
  return page(
    ctx,
    t.startTitle,
    html`<h1>${t.startTitle}</h1>
      <p class="usa-intro">${t.startIntro}</p>
      <h2>${t.startWhatHeading}</h2>
      <ul class="usa-list"><li>${t.startWhat1.replace('{kinds}', kinds)}</li><li>${t.startWhat2.replace('{days}', String(freshnessDays))}</li><li>${t.startWhat3}</li></ul>
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

export function categoriesPage(ctx: PageContext, categories: CategoryInfo[]): string {
  const { t } = ctx;
  return page(
    ctx,
    t.categoriesTitle,
    html`<h1>${t.categoriesTitle}</h1>
      <p class="usa-intro">${t.categoriesIntro}</p>
      <dl class="mp-category-list">
        ${categories.map((category) => {
          const text = categoryText(ctx.lang, category);
          return html`<dt>${text.name}</dt><dd>${text.description}</dd>`;
        })}
      </dl>`,
  );
}

export function privacyPage(ctx: PageContext): string {
  return page(ctx, ctx.t.privacyTitle, html`<h1>${ctx.t.privacyTitle}</h1>${ctx.t.privacyBody.map((paragraph) => html`<p>${paragraph}</p>`)}`);
}

export function accessibilityPage(ctx: PageContext): string {
  return page(ctx, ctx.t.accessibilityTitle, html`<h1>${ctx.t.accessibilityTitle}</h1>${ctx.t.accessibilityBody.map((paragraph) => html`<p>${paragraph}</p>`)}`);
}

export function contactPage(ctx: PageContext, email: string | undefined): string {
  const { t } = ctx;
  return page(
    ctx,
    t.contactTitle,
    html`<h1>${t.contactTitle}</h1>${t.contactBody.map((paragraph) => html`<p>${paragraph}</p>`)}
      <p>${email ? html`${t.contactEmail} <a class="usa-link" href="mailto:${email}">${email}</a>.` : t.contactNoEmail}</p>`,
  );
}

/** 404 and other errors of the household side, in the visitor's language, with the site's navigation. */
export function errorPage(ctx: PageContext, status: number, message: string): string {
  const { t } = ctx;
  const [title, body] =
    status === 404 ? [t.notFoundTitle, t.notFoundBody] : status === 503 ? [t.unavailableTitle, t.unavailableBody] : status >= 500 ? [t.brokenTitle, t.brokenBody] : [t.problemTitle, message];
  return page(ctx, title, html`<h1>${title}</h1><p class="usa-intro">${body}</p><p><a class="usa-link" href="/">${t.lostDoneBack}</a></p>`);
}
