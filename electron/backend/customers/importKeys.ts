import { customerSearchKeys } from '../../../shared/customers/searchKeys';
import { SYSTEM_ACTOR, type Actor } from '../audit/record';
import type { Backend } from '../context';
import { changeCounter, changesSince } from '../db/changes';
import { insertRows } from '../db/insertRows';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { betweenSlices, JOB_PACE, sliceDone, sliceWrite, type SlicePace } from '../jobs/pace';

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

/** Customers whose keys are worked out and sorted in one go. */
const KEYS_RUN = 5000;
/** Between a key and its customer's id in a sort string: below every character a key holds, so the strings sort as (key, id) pairs. */
const SEP = '\u0001';

/** Sorted runs of `key SEP id` strings, taken in order as (key, customer id) pairs, a part at a time. */
class MergedRuns {
  private readonly at: number[];
  constructor(private readonly runs: string[][]) {
    this.at = runs.map(() => 0);
  }

  get done(): boolean {
    return this.runs.every((run, r) => (this.at[r] ?? 0) >= run.length);
  }

  /** The next `count` pairs (fewer at the end). */
  take(count: number): [string, string][] {
    const out: [string, string][] = [];
    while (out.length < count) {
      let best = -1;
      let bestHead = '';
      for (let r = 0; r < this.runs.length; r++) {
        const head = this.runs[r]?.[this.at[r] ?? 0];
        if (head !== undefined && (best < 0 || head < bestHead)) {
          best = r;
          bestHead = head;
        }
      }
      if (best < 0) break;
      this.at[best] = (this.at[best] ?? 0) + 1;
      const cut = bestHead.lastIndexOf(SEP);
      out.push([bestHead.slice(0, cut), bestHead.slice(cut + 1)]);
    }
    return out;
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
): Promise<number> {
  const store = backend.store;
  // Customers edited from here on have had their keys written by the edit: theirs are left out
  // (the change counter, db/changes.ts: one indexed look per slice; null when a sync
  // acknowledgement pruned the outbox meanwhile, and then each part's customers are read again).
  const mark = changeCounter(store.read);
  const filed = store.read.all<KeyFields>(sql`
    SELECT c.id, c.name, c.phone, c.phone2 FROM customer_import_rows r JOIN customers c ON c.id = r.customer_id WHERE r.import_id = ${importId}`);
  const fields = new Map(filed.map((c) => [c.id, c]));
  // Worked out and sorted a few thousand customers at a time, with a turn of the event loop
  // between (all at once it held the thread ~0.4 s for 50,000 customers), then merged in order.
  const runs: string[][] = [];
  for (let i = 0; i < filed.length; i += KEYS_RUN) {
    const run: string[] = [];
    for (const c of filed.slice(i, i + KEYS_RUN)) for (const key of customerSearchKeys(c)) run.push(`${key}${SEP}${c.id}`);
    runs.push(run.sort());
    await new Promise((resolve) => setImmediate(resolve));
  }
  const keys = new MergedRuns(runs);
  const total = runs.reduce((n, run) => n + run.length, 0);
  while (!keys.done) {
    const began = performance.now();
    sliceWrite(store, pace, () =>
      backend.write(actor, (unit) => {
        const changes = changesSince(unit, mark);
        const editedSince = changes === null ? null : new Set(changes.filter((c) => c.entity === 'customer').map((c) => c.entity_id));
        while (!keys.done) {
          const part = keys.take(KEY_PART);
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
