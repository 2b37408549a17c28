// A second process at the counter, for the tests and the bench that show a long job never makes a
// payment wait: it opens the station file on its own connection (as the CLI would) and posts
// `count` payments `everyMs` apart, printing one JSON line per payment: when it started (epoch
// ms), how long it took and any error. Run with `node --import tsx payer.ts ARGS_JSON`.
import { Backend } from '../../context';
import { counterTurn, type CounterClerk } from './counter';

// With `search`, the clerk also looks a customer up after each payment (as at the counter: find,
// then pay), and the line carries the search's time too.
const args = JSON.parse(process.argv[2] ?? '{}') as { db: string; customerId: string; clerk: CounterClerk; count: number; everyMs: number; search?: string };
const backend = new Backend({ db: args.db });
for (let i = 0; i < args.count; i++) {
  const began = performance.now();
  const at = Date.now();
  const { paidAt, ...turn } = counterTurn(backend, args.clerk, args.customerId, `payer-${process.pid}-${i}`, args.search);
  process.stdout.write(`${JSON.stringify({ at, ms: paidAt - began, ...turn })}\n`);
  await new Promise((resolve) => setTimeout(resolve, args.everyMs));
}
backend.close();
