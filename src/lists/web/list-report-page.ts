import { html, type SafeHtml } from '../../web/html';
import { DISCARD_REASONS } from '../cleanse';
import type { ListSummary } from '../cleanse';

const REASON_LABELS: Record<string, string> = {
  OPTED_OUT: 'Opted out',
  ADDRESS_UNREADABLE: 'Address unreadable',
  DUPLICATE: 'Duplicate',
  MALFORMED_ROW: 'Malformed row',
};

/**
 * Kept vs discarded per reason as a horizontal bar chart in inline SVG: drawn on the server, so
 * it needs no JavaScript, and its numbers are also in the table next to it for screen readers.
 */
export function outcomeChart(summary: ListSummary): SafeHtml {
  const bars = [
    { label: 'Kept', value: summary.rows.kept, colour: '#00a91c' },
    ...DISCARD_REASONS.map((reason) => [reason, summary.rows.discardedByReason[reason] ?? 0] as const).map(([reason, value]) => ({ label: REASON_LABELS[reason] ?? reason, value, colour: reason === 'OPTED_OUT' ? '#d54309' : '#71767a' })),
  ];
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const rowHeight = 34;
  const labelWidth = 170;
  const barWidth = 380;
  const height = bars.length * rowHeight + 10;
  return html`<svg class="mp-chart" role="img" aria-labelledby="mp-chart-title" viewBox="0 0 ${labelWidth + barWidth + 90} ${height}" width="100%" preserveAspectRatio="xMinYMin meet">
    <title id="mp-chart-title">Rows kept and discarded, by reason</title>
    ${bars.map((bar, i) => {
      const y = 5 + i * rowHeight;
      const width = Math.round((bar.value / max) * barWidth);
      return html`<g>
        <text x="${labelWidth - 8}" y="${y + 20}" text-anchor="end" font-size="15" fill="#1b1b1b">${bar.label}</text>
        <rect x="${labelWidth}" y="${y + 4}" width="${Math.max(width, 1)}" height="${rowHeight - 10}" fill="${bar.colour}"></rect>
        <text x="${labelWidth + Math.max(width, 1) + 6}" y="${y + 20}" font-size="15" fill="#1b1b1b">${bar.value.toLocaleString('en-US')}</text>
      </g>`;
    })}
  </svg>`;
}

/** The processing summary as a page section (used by the API's /report and the portal). */
export function reportBody(summary: ListSummary, links: { cleansed?: string; discards?: string; summary?: string } = {}): SafeHtml {
  const r = summary.rows;
  const row = (label: string, value: unknown) => html`<tr><th scope="row">${label}</th><td>${value}</td></tr>`;
  return html`<div class="mp-report"><h1 class="mp-wrap">Processing summary: ${summary.listName}</h1>
    <p class="usa-intro">Cleansed for <strong>${summary.category.name}</strong> against households' choices as of ${summary.snapshotAt}.
      Mail the cleansed list before <strong>${summary.validUntil.slice(0, 10)}</strong>.</p>
    <div class="grid-row grid-gap">
      <div class="tablet:grid-col-7">${outcomeChart(summary)}</div>
      <div class="tablet:grid-col-5">
        <table class="usa-table usa-table--borderless">
          <caption>Rows</caption>
          <tbody>
            ${row('Rows in', r.in.toLocaleString('en-US'))}
            ${row('Kept', r.kept.toLocaleString('en-US'))}
            ${row('Discarded', r.discarded.toLocaleString('en-US'))}
            ${DISCARD_REASONS.map((reason) => [reason, r.discardedByReason[reason] ?? 0] as const).map(([reason, count]) => row(`— ${REASON_LABELS[reason] ?? reason}`, count.toLocaleString('en-US')))}
            ${r.keptUnreadable ? row('Kept with unreadable address', r.keptUnreadable) : ''}
            ${r.blankLines ? row('Blank lines ignored', r.blankLines) : ''}
          </tbody>
        </table>
      </div>
    </div>
    <p><strong>Check:</strong> ${summary.accounting}.</p>
    ${links.cleansed
      ? html`<ul class="usa-button-group">
          <li class="usa-button-group__item"><a class="usa-button" href="${links.cleansed}">Download the cleansed list</a></li>
          <li class="usa-button-group__item"><a class="usa-button usa-button--outline" href="${links.discards}">Download the discard report</a></li>
          <li class="usa-button-group__item"><a class="usa-button usa-button--outline" href="${links.summary}">Summary (JSON)</a></li>
        </ul>`
      : ''}
    <table class="usa-table">
      <caption>Details</caption>
      <tbody>
        ${row('Mailer', summary.mailer)}
        ${row('Category', `${summary.category.name} (${summary.category.slug})`)}
        ${row('Mode', summary.mode + (summary.dedupe ? ', de-duplicated' : ''))}
        ${row('Input', `${summary.input.bytes.toLocaleString('en-US')} bytes, ${summary.input.encoding}, ${summary.input.delimiter}-separated`)}
        ${summary.input.encodingDecidedBy ? row('Encoding decided by', summary.input.encodingDecidedBy) : ''}
        ${row('Input SHA-256', html`<code>${summary.input.sha256}</code>`)}
        ${row('Cleansed file SHA-256', html`<code>${summary.output.cleansedSha256}</code>`)}
        ${row('Discard report SHA-256', html`<code>${summary.output.discardsSha256}</code>`)}
        ${row('Choices snapshot', summary.snapshotAt)}
        ${row('Valid until', summary.validUntil)}
        ${row('Processing time', `${(summary.processingMs / 1000).toFixed(2)} s (${summary.rowsPerSecond.toLocaleString('en-US')} rows/s${summary.chunks > 1 ? `, ${summary.chunks} chunks` : ''})`)}
      </tbody>
    </table></div>`;
}
