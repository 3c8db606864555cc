/**
 * One CSV field (RFC 4180) that no spreadsheet runs as a formula.
 *
 * OWASP's CSV-injection guidance: a cell that begins with `=`, `+`, `-`, `@`, tab (0x09) or carriage return (0x0D)
 * is read by Excel, LibreOffice and Google Sheets as a formula (or, for tab/CR, with the formula character after it
 * once the cell is trimmed), so such a cell is prefixed with a single quote and quoted. Line feed and the full-width
 * forms of `= + - @` (U+FF1D, U+FF0B, U+FF0D, U+FF20, which Excel in East-Asian locales also treats as formula starts)
 * are defused the same way: a value that is not a formula loses nothing but gains a visible `'`, which is the price
 * OWASP accepts. Fields holding a quote, comma or line break are quoted with inner quotes doubled.
 */
const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;

export function csvField(value: string): string {
  if (FORMULA_START.test(value)) return `"'${value.replaceAll('"', '""')}"`;
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One CSV record, CRLF-terminated as RFC 4180 says. */
export const csvLine = (values: readonly string[]): string => `${values.map(csvField).join(',')}\r\n`;
