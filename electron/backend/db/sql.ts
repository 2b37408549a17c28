// The one way SQL is written in GridDesk: a tagged template that binds every value as a
// parameter (DESIGN.md "The store"). Fragments nest, so queries can be assembled from parts
// without ever pasting a value into the text.
//
//   sql`SELECT * FROM staff WHERE staff_no = ${no}`
//   sql`SELECT * FROM audit_log WHERE 1 = 1 ${staffId ? sql`AND staff_id = ${staffId}` : sql``}`

export type SqlValue = string | number | bigint | Buffer | Uint8Array | null;

const FRAGMENT = Symbol('sql');

export interface SqlFragment {
  readonly [FRAGMENT]: true;
  readonly text: string;
  readonly params: readonly SqlValue[];
}

export type SqlArg = SqlValue | boolean | SqlFragment;

function isFragment(value: unknown): value is SqlFragment {
  return typeof value === 'object' && value !== null && (value as SqlFragment)[FRAGMENT] === true;
}

function bindable(value: SqlArg | undefined, index: number): SqlValue {
  if (value === undefined) throw new TypeError(`sql: parameter ${index} is undefined`);
  if (typeof value === 'boolean') return value ? 1 : 0; // SQLite has no boolean type
  return value as SqlValue;
}

function fragment(text: string, params: readonly SqlValue[]): SqlFragment {
  return { [FRAGMENT]: true, text, params };
}

export function sql(strings: TemplateStringsArray, ...values: (SqlArg | undefined)[]): SqlFragment {
  let text = strings[0] ?? '';
  const params: SqlValue[] = [];
  values.forEach((value, i) => {
    if (isFragment(value)) {
      text += value.text;
      params.push(...value.params);
    } else {
      text += '?';
      params.push(bindable(value, i));
    }
    text += strings[i + 1] ?? '';
  });
  return fragment(text, params);
}

/** Joins fragments with a separator: sql.join([a, b], sql`, `). */
sql.join = (parts: readonly SqlFragment[], separator: SqlFragment = fragment(', ', [])): SqlFragment => {
  const texts: string[] = [];
  const params: SqlValue[] = [];
  parts.forEach((part, i) => {
    if (i > 0) {
      texts.push(separator.text);
      params.push(...separator.params);
    }
    texts.push(part.text);
    params.push(...part.params);
  });
  return fragment(texts.join(''), params);
};

/** A parenthesised list of bound values for IN: sql`WHERE id IN ${sql.list(ids)}`. */
sql.list = (values: readonly SqlArg[]): SqlFragment => {
  if (values.length === 0) return fragment('(NULL)', []); // IN (NULL) matches nothing
  return fragment(`(${values.map(() => '?').join(', ')})`, values.map((v, i) => bindable(v, i)));
};

const rowsText = new Map<string, string>();

/**
 * Rows of bound values for a multi-row INSERT: sql`INSERT INTO t (a, b) VALUES ${sql.rows(rows)}`.
 * Every row has the first row's width. One fragment for the lot (bulk writes pass thousands of
 * rows; a fragment per row was a third of their JavaScript time), its text kept per shape.
 */
sql.rows = (rows: readonly (readonly SqlArg[])[]): SqlFragment => {
  const width = rows[0]?.length ?? 0;
  if (width === 0) throw new TypeError('sql.rows: no values');
  const shape = `${rows.length}x${width}`;
  let text = rowsText.get(shape);
  if (text === undefined) {
    const row = `(${Array.from({ length: width }, () => '?').join(', ')})`;
    text = Array.from({ length: rows.length }, () => row).join(', ');
    if (rowsText.size < 256) rowsText.set(shape, text);
  }
  const params: SqlValue[] = new Array(rows.length * width);
  let k = 0;
  for (const row of rows) {
    if (row.length !== width) throw new TypeError(`sql.rows: a row of ${row.length} values among rows of ${width}`);
    for (let i = 0; i < width; i++, k++) params[k] = bindable(row[i], k);
  }
  return fragment(text, params);
};

/** Matches text containing `term` literally (LIKE with its wildcards escaped). */
sql.contains = (term: string): SqlFragment =>
  fragment(`? ESCAPE '\\'`, [`%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`]);

/** Matches text starting with `term` literally. */
sql.startsWith = (term: string): SqlFragment =>
  fragment(`? ESCAPE '\\'`, [`${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`]);
