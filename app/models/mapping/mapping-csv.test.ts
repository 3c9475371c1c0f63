import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  CODE_COLUMNS,
  codesToCsv,
  describeIssue,
  mappingTemplateCsv,
  parseCodesCsv,
  parseRowsCsv,
  ROW_COLUMNS,
  rowsToCsv,
  type CodeRecord,
  type RowRecord,
} from './mapping-csv.ts'

const ROW_HEADER = ROW_COLUMNS.map((c) => c.name).join(',')
const CODE_HEADER = CODE_COLUMNS.map((c) => c.name).join(',')

const okRow = {
  sourceField: 'Date of birth',
  sourcePath: 'PID-7.1',
  targetField: 'Birth date',
  targetPath: 'Patient.birthDate',
  dataType: 'date',
  requirement: 'required',
  transformType: 'format_date',
  transformRule: 'YYYYMMDD → YYYY-MM-DD',
  qualityRule: 'Missing → reject and flag',
}
function rowLine(cells: Partial<Record<string, string>>) {
  return ROW_COLUMNS.map((c) => cells[c.name] ?? '').join(',')
}
function codeLine(cells: Partial<Record<string, string>>) {
  return CODE_COLUMNS.map((c) => cells[c.name] ?? '').join(',')
}
const okCode = { sourceSystem: 'urn:riverside:lab', localCode: 'GLU', targetSystem: 'LOINC', targetCode: '2345-7', equivalence: 'equal' }

describe('mapping rows CSV', () => {
  it('reads a spreadsheet file: BOM, CRLF, quoted line breaks, labels for values, escaped formulas', () => {
    const csv =
      '\uFEFF' +
      [
        ROW_HEADER,
        rowLine({ ...okRow, notes: '"first line\r\nsecond, with comma"' }),
        rowLine({ ...okRow, sourcePath: 'PID-5.1', targetPath: 'Patient.name.family', requirement: 'Optional', transformType: 'Copy', qualityRule: "'=SUM(A1)" }),
      ].join('\r\n') +
      '\r\n'
    const parsed = parseRowsCsv(new TextEncoder().encode(csv))
    expect(parsed.errors).toEqual([])
    expect(parsed.total).toBe(2)
    expect(parsed.rows.map((r) => r.line)).toEqual([2, 4])
    expect(parsed.rows[0]!.record.notes).toBe('first line\r\nsecond, with comma')
    expect(parsed.rows[1]!.record).toMatchObject({ requirement: 'optional', transformType: 'copy', qualityRule: '=SUM(A1)' })
  })

  it('reports every bad row with its line and column, after a quoted line break', () => {
    const csv = [
      ROW_HEADER,
      rowLine({ ...okRow, notes: '"two\nlines"' }),
      rowLine({ ...okRow, sourcePath: 'PID-8', requirement: 'mandatory' }),
      rowLine({ ...okRow, sourcePath: 'PID-3', sourceField: '', qualityRule: '' }),
      rowLine({ ...okRow, sourcePath: 'PID-9', qualityRule: '' }),
      'too,few,cells',
      rowLine({ ...okRow, sourcePath: 'pid-7.1', targetPath: 'patient.birthdate' }),
    ].join('\n')
    const parsed = parseRowsCsv(csv)
    const at = parsed.errors.map((e) => [e.line, e.columnNumber, e.column])
    expect(at).toEqual([
      [4, 6, 'requirement'],
      [5, 1, 'sourceField'],
      [5, 11, 'qualityRule'],
      [6, 11, 'qualityRule'],
      [7, 4, 'targetPath'],
      [8, 4, 'targetPath'],
    ])
    expect(parsed.errors[0]!.message).toMatch(/Unknown requirement "mandatory".*required, optional, conditional/)
    expect(parsed.errors[1]!.message).toBe('Name the source field')
    expect(parsed.errors[3]!.message).toMatch(/data-quality rule/)
    expect(parsed.errors[4]!.message).toMatch(/3 cells but the header has 12 columns/)
    expect(parsed.errors[5]!.message).toMatch(/Duplicate: line 2 has the same sourcePath and targetPath/)
    expect(describeIssue(parsed.errors[0]!)).toMatch(/^line 4, column 6 \(requirement\): Unknown requirement/)
    expect(parsed.rows.map((r) => r.line)).toEqual([2])
  })

  it('names missing, unknown and repeated header columns; header names ignore case', () => {
    const header = ROW_COLUMNS.filter((c) => c.name !== 'dataType').map((c) => c.name.toUpperCase())
    const parsed = parseRowsCsv([...header, 'colour', 'NOTES'].join(',') + '\n')
    expect(parsed.errors.map((e) => [e.line, e.columnNumber, e.message])).toEqual([
      [1, 12, expect.stringMatching(/^Unknown column "colour"\. The columns are: sourceField, sourcePath/)],
      [1, 13, expect.stringMatching(/^Column "notes" appears twice \(also column 11\)/)],
      [1, null, expect.stringMatching(/^Missing column: dataType\./)],
    ])
  })

  it('refuses what is not a CSV text file', () => {
    expect(parseRowsCsv(new Uint8Array([0xff, 0xfe, 0x41, 0x00])).errors[0]!.message).toMatch(/UTF-16/)
    expect(parseRowsCsv('').errors[0]!.message).toMatch(/empty/)
    expect(parseRowsCsv(`${ROW_HEADER}\n${rowLine({ ...okRow, notes: '"never closed' })}\n`).errors[0]).toMatchObject({ line: 2, message: expect.stringMatching(/never closed/) })
  })

  it('export → import is the identity, formula-looking values included', () => {
    const text = fc.string({ maxLength: 30 }).map((s) => s.trim()).filter((s) => !s.includes('\u0000'))
    const path = fc.stringMatching(/^[A-Za-z=+@-][A-Za-z0-9.\-[\]]{0,15}$/)
    const record = fc.record({
      sourceField: text.filter(Boolean),
      sourcePath: path,
      targetField: text.filter(Boolean),
      targetPath: path,
      dataType: fc.constantFrom('date', 'string', '=CWE'),
      requirement: fc.constantFrom('optional', 'conditional') as fc.Arbitrary<RowRecord['requirement']>,
      allowedValues: fc.option(text.filter(Boolean), { nil: undefined }),
      usageFrequency: fc.option(fc.constantFrom('100%', '-rare', '@most'), { nil: undefined }),
      transformType: fc.constantFrom('copy', 'lookup') as fc.Arbitrary<RowRecord['transformType']>,
      transformRule: fc.option(text.filter(Boolean), { nil: undefined }),
      qualityRule: fc.option(text.filter(Boolean), { nil: undefined }),
      notes: fc.option(fc.string({ maxLength: 40 }).map((s) => s.trim()).filter((s) => Boolean(s) && !s.includes('\u0000')), { nil: undefined }),
    })
    fc.assert(
      fc.property(fc.uniqueArray(record, { selector: (r) => `${r.sourcePath.toLowerCase()}|${r.targetPath.toLowerCase()}`, maxLength: 8 }), (records) => {
        const parsed = parseRowsCsv(rowsToCsv(records))
        expect(parsed.errors).toEqual([])
        expect(parsed.rows.map((r) => r.record)).toEqual(records.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined))))
      }),
      { numRuns: 150 },
    )
  })

  it('the template reads without a problem', () => {
    expect(parseRowsCsv(mappingTemplateCsv('rows')).errors).toEqual([])
    expect(parseCodesCsv(mappingTemplateCsv('codes')).errors).toEqual([])
  })
})

describe('code maps CSV', () => {
  it('reads code systems by name or URI; rowSourcePath is an optional column', () => {
    const withoutLink = CODE_COLUMNS.filter((c) => c.name !== 'rowSourcePath')
    const csv = [withoutLink.map((c) => c.name).join(','), withoutLink.map((c) => ({ ...okCode, targetSystem: 'snomed ct' })[c.name as 'localCode'] ?? '').join(',')].join('\n')
    const parsed = parseCodesCsv(csv)
    expect(parsed.errors).toEqual([])
    expect(parsed.present.has('rowSourcePath')).toBe(false)
    expect(parsed.rows[0]!.record).toMatchObject({ targetSystem: 'http://snomed.info/sct', localCode: 'GLU', equivalence: 'equal' })
  })

  it('reports unknown code systems, missing codes, bad equivalences and duplicates by line and column', () => {
    const csv = [
      CODE_HEADER,
      codeLine(okCode),
      codeLine({ ...okCode, localCode: 'NA', targetSystem: 'MeSH' }),
      codeLine({ ...okCode, localCode: 'K', targetCode: '' }),
      codeLine({ ...okCode, localCode: 'CL', equivalence: 'inexact' }),
      codeLine({ ...okCode, localCode: 'X', equivalence: 'unmatched', targetCode: '', targetDisplay: 'Something' }),
      codeLine({ ...okCode, targetSystem: 'http://loinc.org' }),
      codeLine({ ...okCode, localCode: 'N', equivalence: 'narrower' }),
      codeLine({ ...okCode, sourceSystem: 'Riverside lab', localCode: '"A  B"' }),
    ].join('\r\n')
    const parsed = parseCodesCsv(csv)
    expect(parsed.errors.map((e) => [e.line, e.columnNumber, e.column])).toEqual([
      [3, 4, 'targetSystem'],
      [4, 5, 'targetCode'],
      [5, 7, 'equivalence'],
      [6, 6, 'targetDisplay'],
      [7, 2, 'localCode'],
      [8, 8, 'comment'],
      [9, 1, 'sourceSystem'],
      [9, 2, 'localCode'],
    ])
    expect(parsed.errors[0]!.message).toMatch(/Unknown code system "MeSH"/)
    expect(parsed.errors[4]!.message).toMatch(/Duplicate: line 2/)
    expect(parsed.errors[5]!.message).toMatch(/narrower map needs a comment/)
  })

  it('export → import is the identity', () => {
    const records: CodeRecord[] = [
      { sourceSystem: 'urn:x:lab', localCode: '=GLU', localDisplay: 'Glucose, "fasting"\nserum', targetSystem: 'http://loinc.org', targetCode: '2345-7', targetDisplay: 'Glucose', equivalence: 'equal', comment: undefined, rowSourcePath: 'OBX-3' },
      { sourceSystem: 'urn:x:lab', localCode: 'OLD', localDisplay: undefined, targetSystem: 'http://loinc.org', targetCode: undefined, targetDisplay: undefined, equivalence: 'unmatched', comment: '-retired', rowSourcePath: undefined },
      { sourceSystem: 'urn:x:units', localCode: 'mg/dl', localDisplay: undefined, targetSystem: 'http://unitsofmeasure.org', targetCode: 'mg/dL', targetDisplay: undefined, equivalence: 'narrower', comment: 'case only', rowSourcePath: 'OBX-6 → Observation.valueQuantity.unit' },
    ]
    const parsed = parseCodesCsv(codesToCsv(records))
    expect(parsed.errors).toEqual([])
    const strip = (r: object) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined))
    expect(parsed.rows.map((r) => strip(r.record))).toEqual(records.map(strip))
  })
})
