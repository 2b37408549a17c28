// A second process at the counter, for the tests that a long job never makes a payment wait: it
// opens the station file on its own connection and posts `count` payments `everyMs` apart, then
// prints each one's latency (or error) as JSON. Run with `node --import tsx payer.ts ARGS_JSON`.
import { Backend } from '../../context';
import { postPayment } from '../../collection/payments';

const args = JSON.parse(process.argv[2] ?? '{}') as { db: string; customerId: string; clerk: { id: string; staffNo: string; name: string }; count: number; everyMs: number };
const backend = new Backend({ db: args.db });
const station = backend.requireStation();
const out: { at: number; ms: number; error?: string }[] = [];
for (let i = 0; i < args.count; i++) {
  const began = performance.now();
  const at = Date.now();
  try {
    backend.write({ staffId: args.clerk.id, label: `${args.clerk.staffNo} ${args.clerk.name}` }, (unit) =>
      postPayment(unit, station.code, { customerId: args.customerId, amountFen: 100, channel: 'cash', idempotencyKey: `payer-${process.pid}-${i}` }, args.clerk),
    );
    out.push({ at, ms: performance.now() - began });
  } catch (error) {
    out.push({ at, ms: performance.now() - began, error: String((error as Error).message ?? error) });
  }
  await new Promise((resolve) => setTimeout(resolve, args.everyMs));
}
backend.close();
process.stdout.write(JSON.stringify(out));
