// The `--json` shape each command documents (CliCommand.json, docs/cli.md), read as a contract:
// `{ a, b: { … }, c[] }` names the top-level fields of the object printed; `[{ a, b }]` an array
// of such objects; `…` among the fields says more may follow. Shapes written as prose ("the
// closing summary") or alternatives ("x | y", "…; with --commit …") are not checked. Every CLI
// test that runs a command with --json (testing.ts) checks its output against this.

export interface JsonShape {
  array: boolean;
  keys: string[];
  open: boolean;
}

/** The top-level fields of a documented shape, or undefined when the text is not a plain shape. */
export function parseShape(doc: string): JsonShape | undefined {
  let text = doc.trim();
  const array = text.startsWith('[');
  if (array) text = text.slice(1, text.lastIndexOf(']')).trim();
  if (!text.startsWith('{') || !text.endsWith('}') || /[|;]|\bor\b/.test(text)) return undefined;
  const inner = text.slice(1, -1);
  const fields: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of inner) {
    if (ch === '{' || ch === '[' || ch === '(') depth++;
    if (ch === '}' || ch === ']' || ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      fields.push(current);
      current = '';
    } else current += ch;
  }
  fields.push(current);
  const keys: string[] = [];
  let open = false;
  for (const field of fields.map((f) => f.trim()).filter(Boolean)) {
    if (field.startsWith('…')) {
      open = true;
      continue;
    }
    const key = /^([A-Za-z_][\w]*)/.exec(field)?.[1];
    if (!key) return undefined;
    keys.push(key);
  }
  return { array, keys, open };
}

/** What is wrong with an output against its documented shape ([] when it fits). */
export function shapeProblems(shape: JsonShape, value: unknown): string[] {
  if (shape.array) {
    if (!Array.isArray(value)) return ['documented as an array'];
    return value.length ? shapeProblems({ ...shape, array: false }, value[0]) : [];
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return ['documented as an object'];
  const have = Object.keys(value);
  const problems = shape.keys.filter((k) => !have.includes(k)).map((k) => `documented field ${k} missing`);
  if (!shape.open) problems.push(...have.filter((k) => !shape.keys.includes(k)).map((k) => `field ${k} not documented`));
  return problems;
}
