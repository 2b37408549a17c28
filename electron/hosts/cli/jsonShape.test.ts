import { describe, expect, it } from 'vitest';
import { parseShape, shapeProblems } from './jsonShape';

describe('documented --json shapes', () => {
  it.each([
    ['{ batchId, count }', { array: false, keys: ['batchId', 'count'], open: false }],
    ['{ staff: { id, staffNo, … } }', { array: false, keys: ['staff'], open: false }],
    ['[{ accountNo, name, periods[], eligible, … }]', { array: true, keys: ['accountNo', 'name', 'periods', 'eligible'], open: true }],
    ['{ receiptNo, requestId, status: "approved" | "pending" }', undefined],
    ['the closing summary', undefined],
    ['{ url, db } (then runs until Ctrl+C)', undefined],
  ])('%s', (doc, shape) => {
    expect(parseShape(doc)).toEqual(shape);
  });

  it.each([
    ['{ a, b }', { a: 1, b: 2 }, []],
    ['{ a, b }', { a: 1 }, ['documented field b missing']],
    ['{ a }', { a: 1, c: 3 }, ['field c not documented']],
    ['{ a, … }', { a: 1, c: 3 }, []],
    ['[{ a }]', [{ a: 1 }], []],
    ['[{ a }]', { a: 1 }, ['documented as an array']],
    ['{ a }', [], ['documented as an object']],
  ])('%s against %j', (doc, value, problems) => {
    expect(shapeProblems(parseShape(doc)!, value)).toEqual(problems);
  });
});
