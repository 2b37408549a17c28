import { customerSearchKeys, phoneKeys } from '../../../shared/customers/searchKeys';
import { SYSTEM_ACTOR, type Actor, type Unit } from '../audit/record';
import type { Backend } from '../context';
import { changeCounter, changesSince } from '../db/changes';
import { insertRows } from '../db/insertRows';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { betweenSlices, JOB_PACE, sliceDone, slicePart, sliceWrite, type SlicePace } from '../jobs/pace';
import type { NameKeys } from './bulk';

// The search keys of a sliced customer import (导入客户的检索键, issue 18). A customer's keys are
// fragments of the name and the reversed phone numbers, spread over the whole of the
// customer_search_keys index: a slice that wrote its customers' keys touched most of the index's
// leaf pages, and every slice wrote them all to the WAL again (at 20,000 customers, three fifths
// of what slicing cost the import). So the slices file the customers without their keys, and the
// import writes every key at its end, sorted: each slice then fills a run of neighbouring pages,
// and each page is written about once. Until then the import's customers are found by account
// number, village and meter, not by name or phone; the import completes only after its keys.

/** Keys written between two looks at the slice's time and at waiting writers. */
const KEY_PART = 2000;

interface KeyFields {
  id: string;
  name: string;
  phone: string;
  phone2: string;
}

/** Customers whose keys are worked out between two turns of the event loop. */
const KEYS_RUN = 5000;

/**
 * The (key, customer id) pairs of the filed customers in the index's order, a part at a time: the
 * distinct keys sorted, each with its customers' ids sorted. (Sorting every pair as one string
 * cost ~0.7 s for 386,000 keys of 50,000 customers, read included; most keys are shared, a name's
 * pair of characters or its last one, so there are far fewer distinct keys than pairs.)
 */
class KeysInOrder {
  private k = 0;
  private i = 0;
  constructor(
    private readonly keys: readonly string[],
    private readonly ids: ReadonlyMap<string, readonly string[]>,
  ) {}

  get done(): boolean {
    return this.k >= this.keys.length;
  }

  /** The next `count` pairs (fewer at the end). */
  take(count: number): [string, string][] {
    const out: [string, string][] = [];
    while (out.length < count && this.k < this.keys.length) {
      const key = this.keys[this.k] as string;
      const list = this.ids.get(key) ?? [];
      while (out.length < count && this.i < list.length) out.push([key, list[this.i++] as string]);
      if (this.i >= list.length) {
        this.k += 1;
        this.i = 0;
      }
    }
    return out;
  }
}

/** Adds `id` under each of `keys` (ids arrive in filing order). */
function addKeys(byKey: Map<string, string[]>, keys: readonly string[], id: string): void {
  for (const key of keys) {
    const ids = byKey.get(key);
    if (ids) ids.push(id);
    else byKey.set(key, [id]);
  }
}

/**
 * The search keys of the customers a sliced import files, worked out as each slice commits from
 * the records in memory (the names' keys from the preview's NameKeys), so that the keys pass
 * neither reads the filed customers back nor works their name fragments out again. Customers
 * edited by somebody else between the slices are noted from the change counter (each slice looks
 * at the outbox since the end of the one before, before its own writes): their edit wrote their
 * keys. When that cannot be known (a sync acknowledgement pruned the outbox meanwhile), the keys
 * pass reads the customers back as for a stopped import.
 */
export class FiledKeys {
  readonly byKey = new Map<string, string[]>();
  readonly fields = new Map<string, KeyFields>();
  readonly edited = new Set<string>();
  /** The change counter at the end of the last slice committed (null before the first). */
  mark: number | null = null;
  /** Edits between two slices could not be known. */
  lost = false;
  /** The slice now being written: its customers, and the counter at its end (kept once it commits). */
  private slice: { filed: KeyFields[]; mark: number | null } = { filed: [], mark: null };

  constructor(private readonly names: NameKeys) {}

  /** In a slice's transaction, before its own writes: the customers somebody else changed since the last slice. */
  beforeSlice(unit: Unit): void {
    this.slice = { filed: [], mark: null };
    if (this.mark === null || this.lost) return;
    const changes = changesSince(unit, this.mark);
    if (changes === null) this.lost = true;
    else for (const c of changes) if (c.entity === 'customer') this.edited.add(c.entity_id);
  }

  /** In the slice's transaction: customers it filed (`ids[i]` from `records[i]`). */
  filed(ids: readonly { id: string }[], records: readonly { fields: Omit<KeyFields, 'id'> }[]): void {
    ids.forEach(({ id }, i) => {
      const fields = records[i]?.fields;
      if (fields) this.slice.filed.push({ id, name: fields.name, phone: fields.phone, phone2: fields.phone2 });
    });
  }

  /** At the end of the slice's transaction: the counter the next slice looks from. */
  endSlice(unit: Unit): void {
    this.slice.mark = changeCounter(unit);
  }

  /** After the slice committed: its customers' keys are worked out (outside the lock). */
  committed(): void {
    this.mark = this.slice.mark;
    for (const c of this.slice.filed) {
      this.fields.set(c.id, c);
      addKeys(this.byKey, this.names.of(c.name).keys, c.id);
      addKeys(this.byKey, phoneKeys(c.phone, c.phone2), c.id);
    }
    this.slice = { filed: [], mark: null };
  }
}

const sameFields = (a: KeyFields, b: KeyFields | undefined) => b !== undefined && a.name === b.name && a.phone === b.phone && a.phone2 === b.phone2;

/** The customers of `part` whose name or phones differ from `fields` (read now). */
function editedAmong(db: ReadableDB, part: readonly [string, string][], fields: ReadonlyMap<string, KeyFields>): Set<string> {
  const ids = [...new Set(part.map((k) => k[1]))];
  const edited = new Set<string>();
  for (let j = 0; j < ids.length; j += 500) {
    for (const now of db.all<KeyFields>(sql`SELECT id, name, phone, phone2 FROM customers WHERE id IN ${sql.list(ids.slice(j, j + 500))}`)) {
      if (!sameFields(now, fields.get(now.id))) edited.add(now.id);
    }
  }
  return edited;
}

/**
 * Writes the search keys of every customer `importId` filed (those of an earlier, stopped run of
 * the same import included), from the customers as they are now, in paced slices; a key already
 * there is left as it is. A customer edited between the slices has had its keys written by the
 * edit (customers.ts writeSearchKeys): the keys worked out here from before the edit are left out.
 */
export async function writeImportKeys(
  backend: Backend,
  actor: Actor,
  importId: string,
  pace: SlicePace,
  /** Whether the import is being filed now (its slices keep it listed as fresh), not a stopped one's keys written afterwards. */
  filing = true,
  /** The keys the slices of this run worked out as they filed (all of the import's customers: not for a resumed one). */
  known?: FiledKeys,
): Promise<number> {
  const store = backend.store;
  // Customers edited from here on have had their keys written by the edit: theirs are left out
  // (the change counter, db/changes.ts: one indexed look per slice; null when a sync
  // acknowledgement pruned the outbox meanwhile, and then each part's customers are read again).
  // With the slices' own account (`known`), "from here on" is from the end of the last filing
  // slice, and those it saw edited between slices are left out too.
  const fromSlices = known?.mark != null && !known.lost ? known : undefined;
  const mark = fromSlices?.mark ?? changeCounter(store.read);
  const editedBefore: ReadonlySet<string> = fromSlices?.edited ?? new Set();
  let fields: ReadonlyMap<string, KeyFields>;
  let byKey: Map<string, string[]>;
  if (fromSlices) {
    fields = fromSlices.fields;
    byKey = fromSlices.byKey;
  } else {
    const filed = store.read.all<KeyFields>(sql`
      SELECT c.id, c.name, c.phone, c.phone2 FROM customer_import_rows r JOIN customers c ON c.id = r.customer_id WHERE r.import_id = ${importId}`);
    fields = new Map(filed.map((c) => [c.id, c]));
    // Worked out a few thousand customers at a time, with a turn of the event loop between.
    byKey = new Map();
    for (let i = 0; i < filed.length; i += KEYS_RUN) {
      for (const c of filed.slice(i, i + KEYS_RUN)) addKeys(byKey, customerSearchKeys(c), c.id);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  // Put in the index's order (binary, as SQLite compares the keys).
  const binary = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  let total = 0;
  for (const ids of byKey.values()) {
    if (ids.length > 1) ids.sort(binary);
    total += ids.length;
  }
  const keys = new KeysInOrder([...byKey.keys()].sort(binary), byKey);
  while (!keys.done) {
    const began = performance.now();
    sliceWrite(store, pace, () =>
      backend.write(actor, (unit) => {
        const changes = changesSince(unit, mark);
        const editedSince = changes === null ? null : new Set([...editedBefore, ...changes.filter((c) => c.entity === 'customer').map((c) => c.entity_id)]);
        while (!keys.done) {
          const part = keys.take(slicePart(store, pace, KEY_PART));
          const edited = editedSince ?? editedAmong(unit, part, fields);
          insertRows(unit, sql`INSERT INTO customer_search_keys (key, customer_id)`, edited.size ? part.filter((k) => !edited.has(k[1])) : part, sql` ON CONFLICT DO NOTHING`);
          if (sliceDone(store, pace, began)) break;
        }
        // Still being filed: no other process takes the import for a stopped one (spreadsheet.ts).
        if (filing) unit.run(sql`UPDATE customer_imports_open SET heartbeat_at = ${unit.at} WHERE import_id = ${importId}`);
      }),
    );
    if (!keys.done) await betweenSlices(store, pace);
  }
  return total;
}

/** An import whose last slice is older than this has stopped (spreadsheet.ts says the same). */
const STOPPED_AFTER_MS = 60_000;

/**
 * At the back end's start: an import a crash stopped before its search keys gets them now, in the
 * background, so its customers are found by name fragment and phone although nobody checks the
 * file again. Keys already there are left as they are (an import stopped after its keys costs a
 * few seconds of paced slices at each start until it is finished).
 */
export async function writeStoppedImportKeys(backend: Backend): Promise<void> {
  const stopped = backend.store.read.column<string>(sql`
    SELECT import_id FROM customer_imports_open WHERE stopped_at IS NOT NULL OR heartbeat_at < ${backend.now() - STOPPED_AFTER_MS}`);
  for (const importId of stopped) {
    if (!backend.store.isOpen) return;
    await writeImportKeys(backend, SYSTEM_ACTOR, importId, JOB_PACE, false);
  }
}
