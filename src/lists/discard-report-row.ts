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

/** The report's own columns (line, reason, detail, choice date, raw row) as CSV, without a line end. */
export function reportPrefix(line: number, reason: string, detail: string, choiceDate: string, raw: string): string {
  return `${line},${reason},${reportField(detail)},${reportField(choiceDate)},${reportField(raw)}`;
}
