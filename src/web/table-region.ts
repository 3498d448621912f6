import { html, type SafeHtml } from './html';

/**
 * A table that scrolls sideways on a narrow screen, in a focusable region (so a keyboard can
 * scroll it) named after what the table holds: each region of a page has its own name (axe's
 * landmark-unique), not "Table" for all.
 */
export function tableRegion(label: string, table: SafeHtml): SafeHtml {
  return html`<div class="mp-table-wrap" tabindex="0" role="region" aria-label="${label}">${table}</div>`;
}
