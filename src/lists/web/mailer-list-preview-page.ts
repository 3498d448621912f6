import { html } from '../../web/html';
import type { MailerIdentity } from '../../mailers/mailers-service';
import type { ColumnPreview } from '../lists-service';
import type { ListJob } from '../lists-store';
import { portalPage } from './mailer-portal-pages';

const FIELD_LABELS: Record<string, string> = {
  address1: 'Street address',
  address2: 'Apartment, suite or unit',
  city: 'City',
  state: 'State',
  zip: 'ZIP code',
  zip4: 'ZIP+4',
};

/**
 * A portal upload before its job starts: the header as read and the column each address field will
 * come from, so a wrong guess is seen before the list is cleansed, not in its discard report.
 */
export function previewPage(mailer: MailerIdentity, csrf: string, job: ListJob, preview: ColumnPreview): string {
  const base = `/mailer/lists/${job.id}`;
  return portalPage(
    `Check the columns: ${job.listName}`,
    html`<h1 class="mp-wrap">Check the columns of ${job.listName}</h1>
      <p class="usa-intro">The list is uploaded but not cleansed yet. Check that the address is read from the right columns, then start.</p>
      <table class="usa-table usa-table--stacked mp-columns">
        <caption>The columns the cleanse will read</caption>
        <thead><tr><th scope="col">Address part</th><th scope="col">Column in your file</th></tr></thead>
        <tbody>${preview.columns.map(
          (column) => html`<tr><th scope="row" data-label="Address part">${FIELD_LABELS[column.field]} (${column.field})</th>
            <td data-label="Column in your file">${column.header === undefined ? html`<em>none: not in the list</em>` : html`<code>${column.header}</code>`}</td></tr>`,
        )}</tbody>
      </table>
      <h2>The header row we read</h2>
      <p>${preview.header.length} columns, ${preview.delimiter}-separated, ${preview.encoding}:</p>
      <ul class="mp-preview">${preview.header.map((name) => html`<li>${name === '' ? html`<em>(no name)</em>` : name}</li>`)}</ul>
      <p>Category: <strong>${job.categoryName}</strong>. The cleansed file holds ${job.mode === 'flag' ? 'every row, with a status and reason column added' : 'only the rows you may mail, exactly as uploaded'}${job.dedupe ? '; repeated addresses are removed' : ''}.</p>
      <ul class="usa-button-group">
        <li class="usa-button-group__item"><form method="post" action="${base}/start"><input type="hidden" name="_csrf" value="${csrf}"><button class="usa-button" type="submit">Start cleansing</button></form></li>
        <li class="usa-button-group__item"><form method="post" action="${base}/delete"><input type="hidden" name="_csrf" value="${csrf}"><button class="usa-button usa-button--outline" type="submit">Cancel this upload</button></form></li>
      </ul>
      <p>Wrong columns? Cancel, then upload again naming your columns under “Column names”.</p>`,
    mailer,
    csrf,
  );
}
