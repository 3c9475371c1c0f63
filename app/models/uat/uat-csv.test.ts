import { describe, expect, test } from 'vitest'
import { parseScenarioNumber, parseUatCsv, uatTemplateCsv } from './uat-csv.ts'

const HEADER = 'number,interface,title,priority,edge_cases,preconditions,steps,expected_result,mapping_rows'

describe('the UAT scenarios CSV', () => {
  test('reads numbers, labels or values, edge cases separated by semicolons, line breaks in quoted cells', () => {
    const parsed = parseUatCsv(`${HEADER}\r\nS-3,Results,Null value,High,"Null values; duplicates",,"1. Send\n2. Look",Shown as no result,OBX-5; OBX-8\r\n,,Volume,,large_volume,,Send 5000,All filed,\r\n`)
    expect(parsed.errors).toEqual([])
    expect(parsed.rows.map((r) => r.record)).toEqual([
      { number: 3, interface: 'Results', title: 'Null value', priority: 'high', edgeCases: ['null_values', 'duplicates'], preconditions: undefined, steps: '1. Send\n2. Look', expectedResult: 'Shown as no result', mappingRows: ['OBX-5', 'OBX-8'] },
      { number: null, interface: null, title: 'Volume', priority: 'medium', edgeCases: ['large_volume'], preconditions: undefined, steps: 'Send 5000', expectedResult: 'All filed', mappingRows: [] },
    ])
    expect([parseScenarioNumber('s4'), parseScenarioNumber('7'), parseScenarioNumber(''), parseScenarioNumber('S-0'), parseScenarioNumber('D-1')]).toEqual([4, 7, null, undefined, undefined])
  })

  test('names every bad cell by line and column', () => {
    const parsed = parseUatCsv(`${HEADER}\r\nD-1,,,urgent,"nulls",,steps,result,\r\nS-2,,Ok,,,,,result,\r\nS-2,,Dup,,,,steps,result,\r\n`)
    expect(parsed.rows).toEqual([])
    expect(parsed.errors.map((e) => `${e.line}:${e.column}`)).toEqual(['2:number', '2:title', '2:priority', '2:edge_cases', '3:steps', '4:number'])
    expect(parsed.errors.find((e) => e.line === 4)!.message).toMatch(/line 3/)
    expect(parsed.errors.find((e) => e.column === 'edge_cases')!.message).toMatch(/nulls/)
  })

  test('a missing required column is one problem of the header; the template reads clean', () => {
    const parsed = parseUatCsv('number,title\r\nS-1,x\r\n')
    expect(parsed.rows).toEqual([])
    expect(parsed.errors[0]!.line).toBe(1)
    expect(parseUatCsv(uatTemplateCsv()).errors).toEqual([])
  })
})
