/**
 * CSV injection defence (OWASP): a cell that a spreadsheet would read as a formula (starting
 * with = + - @, or tab / carriage return) is prefixed with a single quote.
 *
 * The escaping is reversible, so that an export read back by the CSV import is the identity:
 * a value that starts with quotes followed by a formula character ("'=x", "''-3") gets one more
 * quote too, and `unescapeCsvCell` strips exactly one from any value of that shape.
 */
const ESCAPED = /^'*[=+\-@\t\r]/
const UNESCAPE = /^'+[=+\-@\t\r]/

export function escapeCsvCell(value: string) {
  return ESCAPED.test(value) ? `'${value}` : value
}

/** The inverse of `escapeCsvCell`: `unescapeCsvCell(escapeCsvCell(v)) === v` for every string. */
export function unescapeCsvCell(value: string) {
  return UNESCAPE.test(value) ? value.slice(1) : value
}
