import { describe, expect, it } from 'vitest';
import { flatFields, plainSpans, type Spans } from './importCopy';

// The direct import path's line readers (importCopy.ts): which lines are plain (直通行) and where
// their `row` and `children` objects sit; how a flat row's members are read without JSON.parse.

const span = (l: string, s: Spans) => ({
  row: s.rowStart < 0 ? null : l.slice(s.rowStart, s.rowEnd),
  children: s.childrenStart < 0 ? null : l.slice(s.childrenStart, s.childrenEnd),
  rowFlat: s.rowFlat,
});

describe('plainSpans', () => {
  const cases: [string, string, { plain: boolean; row?: string | null; children?: string | null; rowFlat?: boolean }][] = [
    ['canonical line, children first', '{"children":{"bill_lines":[{"a":1}]},"entity":"bill","id":"b1","op":"insert","row":{"id":"b1","kwh":10},"seq":2,"table":"bills"}', { plain: true, row: '{"id":"b1","kwh":10}', children: '{"bill_lines":[{"a":1}]}', rowFlat: true }],
    ['no children', '{"entity":"meter","id":"m","op":"update","row":{"id":"m"},"seq":5}', { plain: true, row: '{"id":"m"}', children: null, rowFlat: true }],
    ['a backslash anywhere: careful way', '{"row":{"name":"a\\"b"},"seq":1}', { plain: false }],
    ['a raw tab between tokens: careful way', '{"row":{},\t"seq":1}', { plain: false }],
    ['a fraction: careful way', '{"row":{"v":1.5},"seq":1}', { plain: false }],
    ['an exponent: careful way', '{"row":{"v":1e3},"seq":1}', { plain: false }],
    ['negative integers, true, false and null are plain', '{"row":{"a":-5,"b":true,"c":false,"d":null},"seq":1}', { plain: true, row: '{"a":-5,"b":true,"c":false,"d":null}', rowFlat: true }],
    ['braces, brackets, colons and commas inside strings', '{"row":{"note":"a{b}[c],d:e","period":"2026-03"},"seq":1}', { plain: true, row: '{"note":"a{b}[c],d:e","period":"2026-03"}', rowFlat: true }],
    ['row given twice: the last wins (an object)', '{"row":null,"row":{"a":1},"seq":1}', { plain: true, row: '{"a":1}' }],
    ['row given twice: the last wins (null)', '{"row":{"a":1},"row":null,"seq":1}', { plain: true, row: null }],
    ['a key named row inside children is not the row', '{"children":{"row":{"x":1}},"row":{"y":2},"seq":1}', { plain: true, row: '{"y":2}', children: '{"row":{"x":1}}' }],
    ['a key named children inside row is not the children', '{"row":{"children":{"x":1}},"seq":1}', { plain: true, row: '{"children":{"x":1}}', children: null, rowFlat: false }],
    ['a row holding an object is not flat', '{"row":{"a":{"b":1}},"seq":1}', { plain: true, row: '{"a":{"b":1}}', rowFlat: false }],
    ['a row holding an array is not flat', '{"row":{"lines":[1]},"seq":1}', { plain: true, row: '{"lines":[1]}', rowFlat: false }],
    ['a row with spaces is not flat', '{"row": {"a": 1}, "seq": 1}', { plain: true, row: '{"a": 1}', rowFlat: false }],
    ['a row that is an array has no span', '{"row":[{"a":1}],"seq":1}', { plain: true, row: null }],
    ['a long number stays plain (read only through a safe-integer check)', '{"row":{"v":123456789012345678901234},"seq":1}', { plain: true, row: '{"v":123456789012345678901234}', rowFlat: true }],
  ];
  it.each(cases)('%s', (_name, line, want) => {
    const s: Spans = { rowStart: 0, rowEnd: 0, childrenStart: 0, childrenEnd: 0, rowFlat: false };
    expect(plainSpans(line, s)).toBe(want.plain);
    if (!want.plain) return;
    const got = span(line, s);
    if ('row' in want) expect(got.row).toBe(want.row);
    if ('children' in want) expect(got.children).toBe(want.children);
    if ('rowFlat' in want) expect(got.rowFlat).toBe(want.rowFlat);
    // The skeleton's and spans' values agree with JSON.parse (the last of a key wins).
    const parsed = JSON.parse(line) as Record<string, unknown>;
    if (got.row != null) expect(JSON.parse(got.row)).toEqual(parsed.row);
    if (got.children != null) expect(JSON.parse(got.children)).toEqual(parsed.children);
  });
});

describe('flatFields', () => {
  const cases: [string, string, Record<string, unknown> | null][] = [
    ['strings, integers, literals; absent is undefined', '{"a":"x","b":-12,"c":true,"d":false,"e":null}', { a: 'x', b: -12, c: true, d: false, e: null, f: undefined }],
    ['a key given twice: the last wins', '{"a":"x","a":"y"}', { a: 'y' }],
    ['a key that ends with another key is not it', '{"period":"2026-02","xperiod":"2026-01"}', { period: '2026-02', xperiod: '2026-01' }],
    ['a value that reads like a key is not one', '{"k":"period","period":"p"}', { k: 'period', period: 'p' }],
    ['CJK text', '{"name":"张三","addr":"村 3"}', { name: '张三', addr: '村 3' }],
    ['empty object', '{}', { a: undefined }],
    ['nested: not flat', '{"a":{"b":1}}', null],
    ['array: not flat', '{"a":[1]}', null],
    ['spaces between tokens: not flat', '{"a": 1}', null],
    ['a fraction: not flat', '{"a":1.5}', null],
    ['a leading zero is not JSON', '{"a":01}', null],
    ['a trailing comma is not JSON', '{"a":1,}', null],
    ['not an object', '["a"]', null],
  ];
  it.each(cases)('%s', (_name, text, want) => {
    const get = flatFields(text);
    if (want === null) return expect(get).toBeNull();
    expect(get).not.toBeNull();
    for (const [k, v] of Object.entries(want)) expect(get!(k)).toEqual(v);
    for (const [k, v] of Object.entries(JSON.parse(text) as Record<string, unknown>)) expect(get!(k)).toEqual(v);
  });
});
