import { describe, expect, it } from 'vitest';
import { uuidv7 } from './ids';

const FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  it('has the RFC 9562 layout: the millisecond time first, version 7, variant 10', () => {
    const at = Date.UTC(2026, 10, 26, 12, 0, 0);
    const id = uuidv7(at + 1000); // later than any id made before in this process
    expect(id).toMatch(FORMAT);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at + 1000);
  });

  it('keeps ids made in one millisecond increasing and distinct, across refills of the random pool', () => {
    const at = Date.now() + 10_000;
    const ids = Array.from({ length: 10_000 }, () => uuidv7(at));
    expect(ids.every((id) => FORMAT.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    // Past 4,096 in one millisecond the counter borrows the next millisecond rather than repeat.
    expect(parseInt((ids.at(-1) as string).replace(/-/g, '').slice(0, 12), 16)).toBeGreaterThan(at);
  });

  it('never goes back when the clock does', () => {
    const a = uuidv7(Date.now() + 20_000);
    const b = uuidv7(Date.now());
    expect(b > a).toBe(true);
  });
});
