/**
 * CSV injection defence (OWASP): a cell that a spreadsheet would read as a formula
 * (starting with = + - @, or tab / carriage return) is prefixed with a single quote.
 */
export function escapeCsvCell(value: string) {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}
