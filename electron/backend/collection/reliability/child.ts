// The child of the reliability check (reliability.test.ts): opens the station database and posts
// payments through `dispatch` in a loop, as the counter does, until it is killed. Before each post
// it prints "ATTEMPT <key>"; once the post is acknowledged (committed) it prints
// "POSTED <key> <receipt no>". With a key given on the command line it first retries that key,
// as a client would after losing the answer, and prints "RETRIED <key> <receipt no>".
import { Backend } from '../../context';
import { dispatch } from '../../dispatch';
import { sql } from '../../db/sql';
import { createHandlers } from '../../handlers';

const [db, runId, retryKey] = process.argv.slice(2);
if (!db || !runId) throw new Error('usage: child.ts DB RUN_ID [RETRY_KEY]');

const backend = new Backend({ db });
const handlers = createHandlers();
const clerkId = backend.store.read.value<string>(sql`SELECT id FROM staff WHERE staff_no = 'C001'`);
if (!clerkId) throw new Error('no clerk C001');
const customers = backend.store.read.column<string>(sql`SELECT id FROM customers ORDER BY account_no`);
const token = backend.sessions.start(clerkId).token;
const channels = ['cash', 'card', 'qr', 'transfer'] as const;

async function post(key: string, i: number): Promise<{ receiptNo: string; duplicate: boolean }> {
  const result = await dispatch(
    backend,
    handlers,
    'collection.pay',
    { customerId: customers[i % customers.length], amountFen: 100 + ((i * 7919) % 50_000), channel: channels[i % 4], idempotencyKey: key },
    { token, locale: 'en', setSessionToken: () => {} },
  );
  if (!result.ok) throw new Error(`${key}: ${result.error.code} ${result.error.message}`);
  return result.value as { receiptNo: string; duplicate: boolean };
}

const say = (line: string) => process.stdout.write(`${line}\n`);

if (retryKey) {
  const { receiptNo } = await post(retryKey, Number(retryKey.split('-').at(-1)));
  say(`RETRIED ${retryKey} ${receiptNo}`);
}
for (let i = 0; ; i++) {
  const key = `crash-${runId}-${i}`;
  say(`ATTEMPT ${key}`);
  const { receiptNo } = await post(key, i);
  say(`POSTED ${key} ${receiptNo}`);
}
