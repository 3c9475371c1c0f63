import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { csvLines, decodeCsv, MAX_ROWS, readCsvRecords, toCsv } from './csv.ts'

/** The generic reading every import shares, with a two-column format of its own. */
const COLUMNS = [{ name: 'code' }, { name: 'label', optional: true }]
const read = (input: string | Uint8Array, trim = false) =>
  readCsvRecords(
    input,
    COLUMNS,
    ({ cells }, issue) => {
      if (!cells.code) {
        issue('code', 'The code is required.')
        return null
      }
      return { code: cells.code, label: cells.label ?? null }
    },
    { trim, key: (cells) => (cells.code ? { key: cells.code.toLowerCase(), column: 'code', message: (first) => `Duplicate: line ${first} has the same code.` } : null) },
  )

describe('CSV reading (app/utils/csv.ts)', () => {
  it('reads rows by column name with their physical lines, un-escapes formula cells and names each problem by line and column', () => {
    const r = read('\uFEFFlabel,code\r\n"two\nlines",A\r\n\r\n\'=SUM(1),B\r\nx,\r\ny,a\r\n')
    expect(r.present).toEqual(new Set(['label', 'code']))
    expect(r.total).toBe(4)
    expect(r.rows.map((row) => [row.line, row.record])).toEqual([
      [2, { code: 'A', label: 'two\nlines' }],
      [5, { code: 'B', label: '=SUM(1)' }],
    ])
    expect(r.errors).toEqual([
      { line: 6, column: 'code', columnNumber: 2, value: '', message: 'The code is required.' },
      { line: 7, column: 'code', columnNumber: 2, value: 'a', message: 'Duplicate: line 2 has the same code.' },
    ])
  })

  it('an optional column may be missing; a required one stops the reading with one problem', () => {
    expect(read('code\nA\n').rows.map((r) => r.record)).toEqual([{ code: 'A', label: null }])
    const missing = read('label\nx\n')
    expect(missing.rows).toEqual([])
    expect(missing.errors.map((e) => [e.line, e.message])).toEqual([[1, expect.stringMatching(/^Missing column: code\./)]])
  })

  it('trims cells when the format asks for it', () => {
    expect(read('code,label\n  A , x \n', true).rows[0]!.record).toEqual({ code: 'A', label: 'x' })
    expect(read('code,label\n  A , x \n').rows[0]!.record).toEqual({ code: '  A ', label: ' x ' })
  })

  it('says what a file is when it is not UTF-8 CSV', () => {
    const message = (bytes: number[]) => {
      const d = decodeCsv(Uint8Array.from(bytes))
      return 'error' in d ? d.error : d.text
    }
    expect(message([0x50, 0x4b, 0x03, 0x04, 0])).toMatch(/spreadsheet workbook/)
    expect(message([0xff, 0xfe, 0x41, 0])).toMatch(/UTF-16/)
    expect(message([0x41, 0xc3, 0x28])).toMatch(/not UTF-8/)
    expect(message([0xef, 0xbb, 0xbf, 0x41])).toBe('A')
    expect(message([0x20, 0x0a])).toMatch(/empty/)
    expect(read(Uint8Array.from([0x41, 0x00, 0x42])).errors[0]).toMatchObject({ line: null, message: expect.stringMatching(/NUL/) })
  })

  it(`refuses more than ${MAX_ROWS.toLocaleString('en-US')} rows as one file-level problem`, () => {
    const r = read(`code\n${'A\n'.repeat(MAX_ROWS + 1)}`)
    expect(r.rows).toEqual([])
    expect(r.errors).toEqual([expect.objectContaining({ line: null, message: expect.stringMatching(/more than 50,000 rows/) })])
  })

  it('writes CSV with formula cells escaped: a whole file (BOM, CRLF) and streamed lines', () => {
    const file = toCsv(COLUMNS, [{ code: '=1+1', label: 'a, "b"' }])
    expect(file).toBe('\uFEFFcode,label\r\n\'=1+1,"a, ""b"""\r\n')
    expect(read(file).rows[0]!.record).toEqual({ code: '=1+1', label: 'a, "b"' })
    const lines = csvLines([['@x', null, 'plain']])
    expect(lines).toBe("'@x,,plain\n")
    expect(parse(lines)).toEqual([["'@x", '', 'plain']])
  })
})
