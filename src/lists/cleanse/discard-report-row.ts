/**
 * One row of the discard report as CSV text, quoted exactly as csv-stringify's defaults quote
 * (a field holding `"`, `,`, CR or LF is quoted, its quotes doubled; nothing else is), so the
 * report reads the same as before; written by hand because stringify's per-field option
 * handling cost more than the rest of a discarded row's processing.
 */
export function reportField(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x22 || c === 0x2c || c === 0x0a || c === 0x0d) {
      return `"${value.replace(/"/g, '""')}"`;
    }
  }
  return value;
}

/**
 * The report's own columns after the line number (reason, detail, choice date, raw row) as CSV,
 * from the comma that follows the line number, without a line end.
 */
export function reportColumns(reason: string, detail: string, choiceDate: string, raw: string): string {
  return `,${reason},${reportField(detail)},${reportField(choiceDate)},${reportField(raw)}`;
}

/**
 * Whether a record's bytes, as they are, are its fields written as report CSV: ASCII without a
 * quote (so no field was quoted or needs quoting, and decoding changes nothing), in a list whose
 * delimiter is the report's comma. Most discarded rows are, and are then copied, not re-quoted.
 */
export function isOwnReportText(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (b >= 0x80 || b === 0x22) return false;
  }
  return true;
}
