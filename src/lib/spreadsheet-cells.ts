/**
 * A CSV cell that a spreadsheet would run as a formula (one beginning with `=`, `+`, `-`, `@`, a
 * tab or a carriage return: OWASP's "CSV injection") gets a leading apostrophe, which spreadsheets
 * show as text. For reports built from other people's files — an operator opening a reject report
 * or a print file must not run what someone typed into an address.
 */
export function spreadsheetSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** csv-stringify's options that pass every text cell through spreadsheetSafe. */
export const SPREADSHEET_SAFE_CELLS = { cast: { string: spreadsheetSafe } };
