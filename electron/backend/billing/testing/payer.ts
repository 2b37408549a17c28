// A second process at the counter, for the tests and the bench that show a long job never makes a
// payment wait: it opens the station file on its own connection (as the CLI would) and posts
// `count` payments `everyMs` apart, printing one JSON line per payment: when it started (epoch
// ms), how long it took and any error. Run with `node --import tsx payer.ts ARGS_JSON`.
import { Backend } from '../../context';
import { postPayment } from '../../collection/payments';
import { searchCustomers } from '../../customers/search';

// With `search`, the clerk also looks a customer up after each payment (as at the counter: find,
// then pay), and the line carries the search's time too.
const args = JSON.parse(process.argv[2] ?? '{}') as { db: string; customerId: string; clerk: { id: string; staffNo: string; name: string }; count: number; everyMs: number; search?: string };
const backend = new Backend({ db: args.db });
const station = backend.requireStation();
for (let i = 0; i < args.count; i++) {
  const began = performance.now();
  const at = Date.now();
  let error: string | undefined;
  try {
    backend.write({ staffId: args.clerk.id, label: `${args.clerk.staffNo} ${args.clerk.name}` }, (unit) =>
      postPayment(unit, station.code, { customerId: args.customerId, amountFen: 100, channel: 'cash', idempotencyKey: `payer-${process.pid}-${i}` }, args.clerk),
    );
  } catch (caught) {
    error = String((caught as Error).message ?? caught);
  }
  const ms = performance.now() - began;
  let searchMs: number | undefined;
  if (args.search) {
    const looked = performance.now();
    searchCustomers(backend.store.read, args.search, { limit: 20 });
    searchMs = performance.now() - looked;
  }
  process.stdout.write(`${JSON.stringify({ at, ms, ...(searchMs !== undefined ? { searchMs } : {}), ...(error ? { error } : {}) })}\n`);
  await new Promise((resolve) => setTimeout(resolve, args.everyMs));
}
backend.close();
