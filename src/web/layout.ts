import { html, type SafeHtml } from './html';

export interface PageOptions {
  title: string;
  body: SafeHtml;
  lang?: string;
  /** Links shown in the header navigation. */
  nav?: { href: string; label: string; current?: boolean }[];
  /** Extra markup placed in the header's right side (e.g. a language switch). */
  headerExtra?: SafeHtml;
  serviceName?: string;
  homeHref?: string;
  /** Translations of the frame's own words (English by default). */
  labels?: { skipToMain: string; returnToTop: string };
  /** Scripts of the page's own under /assets (the pages work without them). */
  scripts?: string[];
  /** A class of the page header's own (the console's header lays its navigation out apart). */
  headerClass?: string;
  /** Links in the footer (contact, accessibility, privacy), under a navigation landmark with this label. */
  footerLinks?: { label: string; links: { href: string; label: string }[] };
}

/** The US Web Design System page frame shared by every surface. Works without JavaScript. */
export function layout(options: PageOptions): string {
  const { title, body, lang = 'en', nav = [], headerExtra, serviceName = 'Mail Preference Service', homeHref = '/' } = options;
  const labels = options.labels ?? { skipToMain: 'Skip to main content', returnToTop: 'Return to top' };
  return html`<!doctype html>
<html lang="${lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title} — ${serviceName}</title>
  <link rel="stylesheet" href="/assets/uswds/css/uswds.min.css">
  <link rel="stylesheet" href="/assets/site.css">
  <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
</head>
<body>
  <a class="usa-skipnav" href="#main-content">${labels.skipToMain}</a>
  <header class="usa-header usa-header--basic${options.headerClass ? ` ${options.headerClass}` : ''}">
    <div class="usa-nav-container">
      <div class="usa-navbar">
        <div class="usa-logo"><em class="usa-logo__text"><a href="${homeHref}" title="${serviceName}">${serviceName}</a></em></div>
      </div>
      ${nav.length || headerExtra
        ? html`<nav aria-label="Primary" class="usa-nav mp-nav">
        <ul class="usa-nav__primary usa-accordion">
          ${nav.map(
            (item) => html`<li class="usa-nav__primary-item"><a class="usa-nav-link${item.current ? ' usa-current' : ''}" href="${item.href}"${item.current ? html` aria-current="page"` : ''}><span>${item.label}</span></a></li>`,
          )}
        </ul>
        ${headerExtra ?? ''}
      </nav>`
        : ''}
    </div>
  </header>
  <main id="main-content" class="grid-container usa-section">
    ${body}
  </main>
  <footer class="usa-footer usa-footer--slim">
    <div class="grid-container usa-footer__return-to-top"><a href="#main-content">${labels.returnToTop}</a></div>
    ${options.footerLinks
      ? html`<div class="usa-footer__primary-section"><nav class="grid-container" aria-label="${options.footerLinks.label}">
      <ul class="mp-footer-links">${options.footerLinks.links.map((link) => html`<li><a class="usa-link" href="${link.href}">${link.label}</a></li>`)}</ul>
    </nav></div>`
      : ''}
  </footer>
  <script src="/assets/uswds/js/uswds.min.js" defer></script>
  ${(options.scripts ?? []).map((script) => html`<script src="/assets/${script}" defer></script>`)}
</body>
</html>`.value;
}
