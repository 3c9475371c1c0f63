/**
 * A vocabulary is one domain enum written for people: each database value with its label, as a
 * `{ value: label } as const` object in `app/utils/<domain>-vocabulary.ts` (browser-safe, so
 * forms, lists and the server read the same words). vocabulary.test.ts checks every vocabulary
 * against the Prisma enum it mirrors (docs/decisions/018-one-scope-and-vocabulary.md).
 */
export type Vocabulary = Readonly<Record<string, string>>

/** The values of a vocabulary, in its order, as a non-empty tuple (what `z.enum` takes). */
export function valuesOf<V extends Vocabulary>(vocabulary: V): [keyof V & string, ...(keyof V & string)[]] {
  const values = Object.keys(vocabulary) as (keyof V & string)[]
  if (!values.length) throw new Error('A vocabulary needs at least one value')
  return values as [keyof V & string, ...(keyof V & string)[]]
}

/** The label of a value, or the value itself when the vocabulary does not know it (stored data older than the code). */
export function labelOf<V extends Vocabulary>(vocabulary: V, value: string): string {
  return Object.hasOwn(vocabulary, value) ? vocabulary[value]! : value
}
