import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildCli } from '../build-cli.mjs';
import { demoStationCopy } from './customers';
import { ratio, stats, type Bench, type BenchContext } from './harness';

// Start-up of the `griddesk` command (issue 21), whole processes on the demo station:
// - `griddesk version` beside a bare `node -e 0`;
// - `griddesk balance ACCOUNT` beside a bare query process (node, open the station file with
//   better-sqlite3, read the customer's open bills and ledger): the work the command cannot skip;
// - both also the old way (the TypeScript compiled by tsx at every start, GRIDDESK_CLI_SOURCE=1).
// Runs are interleaved (A B C … A B C …) so a slower moment of the shared machine hits all alike.
// Target: each ≤ 3× its baseline, medians.

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'griddesk.mjs');
const RUNS = 11;
type Form = 'bareNode' | 'bareQuery' | 'version' | 'balance' | 'versionOld' | 'balanceOld' | 'npxVersion';

function bareQueryScript(file: string, accountNo: string): string {
  return `
const Database = require('better-sqlite3');
const db = new Database(${JSON.stringify(file)}, { readonly: true });
const c = db.prepare('SELECT id, account_no, name FROM customers WHERE account_no = ?').get(${JSON.stringify(accountNo)});
const bills = db.prepare('SELECT b.id, b.bill_no, b.period, b.total_fen, i.due_date FROM bills b JOIN bill_issues i ON i.bill_id = b.id WHERE b.customer_id = ?').all(c.id);
const ledger = db.prepare('SELECT bill_id, entry_type, amount_fen FROM ledger_entries WHERE customer_id = ?').all(c.id);
process.stdout.write(String(bills.length + ledger.length));
db.close();`;
}

function timeProcess(args: string[], env: NodeJS.ProcessEnv = {}, command = process.execPath): number {
  const started = performance.now();
  const run = spawnSync(command, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return ms;
}

export const cliBench: Bench = {
  name: 'cli',
  async run(ctx: BenchContext) {
    const file = await demoStationCopy(ctx, 'cli-bench');
    const db = new Database(file, { readonly: true });
    const accountNo = db.prepare('SELECT c.account_no FROM customers c JOIN bills b ON b.customer_id = c.id ORDER BY c.account_no LIMIT 1').pluck().get() as string;
    db.close();
    // A fresh bundle, then one run of each form so the code caches exist (as after the first call).
    const built = await buildCli(ROOT);
    const forms: Record<Form, { args: string[]; env?: NodeJS.ProcessEnv; command?: string }> = {
      bareNode: { args: ['-e', '0'] },
      bareQuery: { args: ['-e', bareQueryScript(file, accountNo)] },
      version: { args: [BIN, 'version'] },
      balance: { args: [BIN, 'balance', accountNo, '--db', file] },
      versionOld: { args: [BIN, 'version'], env: { GRIDDESK_CLI_SOURCE: '1' } },
      balanceOld: { args: [BIN, 'balance', accountNo, '--db', file], env: { GRIDDESK_CLI_SOURCE: '1' } },
      // How scripts often call it: npx finds the project's own bin (no network with --offline);
      // the difference from `version` is npm's own start, not ours.
      npxVersion: { args: ['--offline', 'griddesk', 'version'], command: 'npx' },
    };
    for (const form of Object.values(forms)) timeProcess(form.args, form.env, form.command);
    const samples = Object.fromEntries(Object.keys(forms).map((k) => [k, [] as number[]])) as Record<Form, number[]>;
    ctx.log(`cli: ${RUNS} runs of ${Object.keys(forms).join(', ')}, interleaved…`);
    const names = Object.keys(forms) as Form[];
    for (let i = 0; i < RUNS; i++) for (const name of names) samples[name].push(timeProcess(forms[name].args, forms[name].env, forms[name].command));
    const s = Object.fromEntries(names.map((k) => [k, stats(samples[k])])) as Record<Form, ReturnType<typeof stats>>;
    return {
      customers: ctx.customers,
      account: accountNo,
      bundle: { kb: Math.round(built.bytes / 1024), sourceFiles: built.inputs },
      wallMs: s,
      versionVsBareNode: ratio(s.version.median, s.bareNode.median),
      balanceVsBareQuery: ratio(s.balance.median, s.bareQuery.median),
      oldVersionVsNew: ratio(s.versionOld.median, s.version.median),
      oldBalanceVsNew: ratio(s.balanceOld.median, s.balance.median),
      npxVersionVsBareNode: ratio(s.npxVersion.median, s.bareNode.median),
      npxOverheadMs: Math.round(s.npxVersion.median - s.version.median),
      meetsTarget: s.version.median <= 3 * s.bareNode.median && s.balance.median <= 3 * s.bareQuery.median,
    };
  },
};
