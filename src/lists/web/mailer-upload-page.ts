import type { Category } from '../../categories/categories-store';
import type { AppError } from '../../lib/errors';
import { errorSummary, type FieldError } from '../../web/error-summary';
import { fieldParts } from '../../web/form-field';
import { html } from '../../web/html';
import type { MailerIdentity } from '../../mailers/mailers-service';
import { formatBytes } from '../lists-service';
import { portalPage } from './mailer-portal-pages';

/** What the mailer chose, shown again with the errors when an upload is refused. */
export interface UploadFormState {
  values: Record<string, string>;
  errors: FieldError[];
}

const MAPPED = ['address1', 'address2', 'city', 'state', 'zip', 'zip4'] as const;

// The API's messages speak of multipart fields and curl; at a form field a person reads these.
const PORTAL_MESSAGES: Record<string, string> = {
  NO_FILE: 'Choose the list file to upload',
  MISSING_CATEGORY: 'Choose the category of the mailing',
};

/** Which control an upload error belongs to, by the field the error names (the file when it names none). */
function controlOf(error: AppError): string {
  if (error.code === 'UNKNOWN_CATEGORY' || error.code === 'RETIRED_CATEGORY') return 'category';
  const field = error.details?.field;
  if (field === 'category' || field === 'dedupe' || field === 'keep_unreadable') return field;
  if (field === 'mode') return 'mode-suppress';
  if (field === 'mapping') return 'map_address1';
  return 'file';
}

/** Every problem at once, one message per control (the first problem found for it). */
export function uploadErrors(errors: AppError[]): FieldError[] {
  const shown: FieldError[] = [];
  for (const error of errors) {
    const field = controlOf(error);
    if (shown.some((existing) => existing.field === field)) continue;
    const message = PORTAL_MESSAGES[error.code] ?? (error.code === 'UNKNOWN_CATEGORY' ? `${error.message}: choose one of the categories listed` : error.message);
    shown.push({ field, message });
  }
  return shown;
}

/**
 * The upload form. Its CSRF token is a field ahead of the file (never in the URL, where a refused
 * upload's page would keep it in the address bar). `novalidate`: every problem is reported by the
 * server in the same way (error summary, message at the field), with or without JavaScript.
 */
export function uploadPage(mailer: MailerIdentity, csrf: string, categories: Category[], maxUploadBytes: number, state: UploadFormState = { values: {}, errors: [] }): string {
  const { values, errors } = state;
  const category = fieldParts('category', 'Category of the mailing', errors);
  // The file input names its label with aria-labelledby: USWDS's script gives the input an
  // aria-label of its own ("Drag file here or choose from folder"), which would otherwise
  // replace "List file" as its accessible name.
  const file = fieldParts('file', 'List file', errors, `CSV or TSV with a header row (address, city, state, ZIP columns), up to ${formatBytes(maxUploadBytes)}.`);
  const mode = values.mode === 'flag' ? 'flag' : 'suppress';
  const checked = (name: string) => (['true', 'on', '1'].includes(values[name] ?? '') ? html` checked` : '');
  const mappingError = errors.find((error) => error.field === 'map_address1');
  const otherError = (id: string) => {
    const error = errors.find((candidate) => candidate.field === id);
    return error ? html`<span class="usa-error-message" id="${id}-error">${error.message}</span>` : '';
  };
  // A control whose problem is shown above it: tied to its message and marked invalid.
  const marked = (id: string) => (errors.some((candidate) => candidate.field === id) ? html` aria-describedby="${id}-error" aria-invalid="true"` : '');
  return portalPage(
    errors.length > 0 ? 'Error: Upload a list' : 'Upload a list',
    html`<h1>Upload a list</h1>
      ${errorSummary('There is a problem', errors)}
      <p>Start from our <a class="usa-link" href="/mailer/template.csv" download>CSV template</a> (the column names we find by ourselves, and an example row), or upload your own list.</p>
      <form class="usa-form usa-form--large" method="post" action="/mailer/lists" enctype="multipart/form-data" novalidate>
        <input type="hidden" name="_csrf" value="${csrf}">
        <div class="${category.group}">
          ${category.label}
          <select class="usa-select${category.error ? ' usa-input--error' : ''}" id="category" name="category" required${category.aria}>
            <option value="">- Select a category -</option>
            ${categories.map((option) => html`<option value="${option.slug}"${option.slug === values.category ? html` selected` : ''}>${option.name}</option>`)}
          </select>
        </div>
        <div class="${file.group}">
          ${file.label}
          <input class="usa-file-input${file.error ? ' usa-input--error' : ''}" id="file" name="file" type="file" accept=".csv,.tsv,.txt,text/csv" required aria-labelledby="file-label"${file.aria}>
        </div>
        <fieldset class="usa-fieldset">
          <legend class="usa-legend">What the cleansed file holds</legend>
          ${otherError('mode-suppress')}
          <div class="usa-radio"><input class="usa-radio__input" id="mode-suppress" type="radio" name="mode" value="suppress"${mode === 'suppress' ? html` checked` : ''}${marked('mode-suppress')}><label class="usa-radio__label" for="mode-suppress">Only the rows you may mail, exactly as uploaded</label></div>
          <div class="usa-radio"><input class="usa-radio__input" id="mode-flag" type="radio" name="mode" value="flag"${mode === 'flag' ? html` checked` : ''}><label class="usa-radio__label" for="mode-flag">Every row, with a status and reason column added</label></div>
        </fieldset>
        ${otherError('dedupe')}
        <div class="usa-checkbox"><input class="usa-checkbox__input" id="dedupe" type="checkbox" name="dedupe" value="true"${checked('dedupe')}${marked('dedupe')}><label class="usa-checkbox__label" for="dedupe">Remove repeated rows for the same address</label></div>
        ${otherError('keep_unreadable')}
        <div class="usa-checkbox"><input class="usa-checkbox__input" id="keep_unreadable" type="checkbox" name="keep_unreadable" value="true"${checked('keep_unreadable')}${marked('keep_unreadable')}><label class="usa-checkbox__label" for="keep_unreadable">Keep rows whose address cannot be read (flagged), instead of discarding them</label></div>
        <details class="margin-top-2"${mappingError || MAPPED.some((field) => values[`map_${field}`]) ? html` open` : ''}>
          <summary>Column names (only if your headers are unusual)</summary>
          ${mappingError ? html`<span class="usa-error-message" id="map_address1-error">${mappingError.message}</span>` : ''}
          ${MAPPED.map(
            (field) => html`<label class="usa-label" for="map_${field}">Header of the ${field} column</label><input class="usa-input${field === 'address1' && mappingError ? ' usa-input--error' : ''}" id="map_${field}" name="map_${field}" type="text" value="${values[`map_${field}`] ?? ''}"${field === 'address1' ? marked('map_address1') : ''}>`,
          )}
        </details>
        <button class="usa-button" type="submit">Upload and check the columns</button>
      </form>
      <p><a class="usa-link" href="/mailer">Back to your lists</a></p>`,
    mailer,
    csrf,
    'upload',
  );
}
