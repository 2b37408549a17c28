import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sql } from './sql';

describe('sql.rows (multi-row INSERT values)', () => {
  it('binds every row in order, booleans as 0/1, and refuses a row of another width', () => {
    const values = sql.rows([['a', 1, true], ['b', null, false]]);
    expect(values.text).toBe('(?, ?, ?), (?, ?, ?)');
    expect(values.params).toEqual(['a', 1, 1, 'b', null, 0]);
    expect(() => sql.rows([['a', 1], ['b']])).toThrow('a row of 1 values among rows of 2');
    expect(() => sql.rows([['a'], ['b', undefined as never]])).toThrow();
  });

  it('writes the rows SQLite is given', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (k TEXT, n INTEGER)');
    const q = sql`INSERT INTO t (k, n) VALUES ${sql.rows([['x', 1], ['y', 2], ['z', 3]])}`;
    db.prepare(q.text).run(...q.params);
    expect(db.prepare('SELECT k, n FROM t ORDER BY k').raw().all()).toEqual([['x', 1], ['y', 2], ['z', 3]]);
  });
});
