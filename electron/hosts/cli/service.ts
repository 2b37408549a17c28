import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { isPeriod, shanghaiDateTime } from '../../../shared/time';
import { ORDER_KINDS, MANUAL_TAGS, type OrderKind, type ManualTag } from '../../../shared/service';
import { InputError, UsageError, type CliCommand, type CliContext, type Values } from './context';

// Customer service (客户服务) from the command line: orders, return visits, the calendar,
// segments and tags, reminders and the report. `--staff NO` acts as that member of staff (the
// assignee answering their order); without it the local operator acts as the head.

const text = { type: 'string' } as const;
const flag = { type: 'boolean' } as const;
const str = (v: Values, name: string): string | undefined => (typeof v[name] === 'string' ? (v[name] as string) : undefined);
const need = (v: Values, name: string, what: string): string => {
  const s = str(v, name);
  if (!s) throw new UsageError(`--${name} ${what} is required`);
  return s;
};
const period = (v: Values): string => {
  const p = need(v, 'period', 'YYYY-MM');
  if (!isPeriod(p)) throw new UsageError(`--period ${p}: a month is YYYY-MM`);
  return p;
};
const when = (ms: number | null) => (ms === null ? '—' : shanghaiDateTime(ms));

function writeBase64(out: string, base64: string): string {
  const path = resolve(out);
  writeFileSync(`${path}.partial`, Buffer.from(base64, 'base64'));
  renameSync(`${path}.partial`, path);
  return path;
}

function readText(file: string): string {
  try {
    return readFileSync(resolve(file), 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${resolve(file)}: ${(error as Error).message}`);
  }
}

type Row = { orderNo: string; kind: string; state: string; status: string; nextDueAt: number | null; assignee: { staffNo: string } | null; accountNo: string | null; content: string };
const orderLines = (rows: Row[]) => (rows.length ? rows.map((r) => `${r.orderNo}  ${r.kind.padEnd(14)} ${r.state.padEnd(9)} ${r.status.padEnd(12)} due ${when(r.nextDueAt)}  ${(r.assignee?.staffNo ?? '-').padEnd(6)} ${r.accountNo ?? '-'}  ${r.content.slice(0, 30)}`).join('\n') : 'No orders.');

async function orderStep(cli: CliContext, v: Values, orderNo: string | undefined, kind: 'assign' | 'close' | 'contact' | 'arrive' | 'restore' | 'note' | 'suspend' | 'resume' | 'reopen' | 'escalate') {
  if (!orderNo) throw new UsageError(`service orders ${kind} ORDER_NO`);
  const to = str(v, 'to');
  const by = str(v, 'attribute');
  const r = await cli.invoke('service.orders.step', { orderNo, kind, note: str(v, 'note') ?? '', ...(to ? { assigneeStaffNo: to } : {}), ...(v.valid === true ? { validComplaint: true } : {}), ...(by ? { attributedStaffNo: by } : {}) });
  cli.print(r, () => `${r.orderNo}: ${kind} recorded; now ${r.state}${r.visitId ? ` (return visit ${r.visitId})` : ''}`);
}

export const serviceCommands: CliCommand[] = [
  {
    name: 'service orders',
    channels: ['service.orders.create', 'service.orders.list', 'service.orders.get', 'service.orders.step', 'service.orders.due', 'service.alerts', 'service.dispatch.import', 'service.staff'],
    summary: 'Work orders (工单): create, list, show, due (due soon and overdue), alerts, assign, step, close, dispatch FILE.xlsx (95598), staff',
    usage: 'create --kind KIND --content TEXT [--account NO] [--source counter|phone] [--about NO] | list [--open] [--mine] | show NO | due | alerts | assign NO --to STAFF | step NO --kind contact|arrive|restore|note|suspend|resume|reopen|escalate [--note TEXT] | close NO --note RESULT [--valid] [--attribute STAFF] | dispatch FILE.xlsx | staff',
    json: 'create: {orderNo}; list/due: {rows}; show: the order with steps, limits and visits; dispatch: {taken, refused}',
    positionals: [1, 2],
    options: { kind: text, content: text, account: text, source: text, about: text, contact: text, phone: text, open: flag, mine: flag, to: text, note: text, valid: flag, attribute: text },
    async run(cli, v, [verb, arg]) {
      switch (verb) {
        case 'create': {
          const kind = need(v, 'kind', ORDER_KINDS.join('|'));
          if (!(ORDER_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--kind ${kind}: one of ${ORDER_KINDS.join(', ')}`);
          const source = str(v, 'source') ?? 'counter';
          if (source !== 'counter' && source !== 'phone') throw new UsageError('--source counter|phone');
          const account = str(v, 'account');
          const about = str(v, 'about');
          const r = await cli.invoke('service.orders.create', { kind: kind as OrderKind, source, content: need(v, 'content', 'TEXT'), contactName: str(v, 'contact') ?? '', contactPhone: str(v, 'phone') ?? '', ...(account ? { accountNo: account } : {}), ...(about ? { aboutStaffNo: about } : {}) });
          cli.print(r, () => `Order ${r.orderNo} logged.`);
          return;
        }
        case 'list': {
          const r = await cli.invoke('service.orders.list', { ...(v.open === true ? { state: 'open' as const } : {}), mine: v.mine === true });
          cli.print(r, () => orderLines(r.rows));
          return;
        }
        case 'show': {
          if (!arg) throw new UsageError('service orders show ORDER_NO');
          const o = await cli.invoke('service.orders.get', { orderNo: arg });
          cli.print(o, () =>
            [
              `${o.orderNo}  ${o.kind}  ${o.source}${o.dispatchNo ? ` ${o.dispatchNo}` : ''}  ${o.state}  ${o.status}`,
              `  customer ${o.accountNo ?? '-'} ${o.customerName ?? o.contactName}  received ${when(o.receivedAt)}`,
              `  ${o.content}`,
              ...o.limits.map((l) => `  limit ${l.milestone.padEnd(9)} due ${when(l.due)}  met ${when(l.metAt)}  ${l.status}`),
              ...o.steps.map((s) => `  ${when(s.at)}  ${s.kind.padEnd(8)} ${s.by ?? ''}${s.assignee ? ` → ${s.assignee}` : ''}  ${s.note}`),
              ...o.visits.map((x) => `  visit ${x.visitId}  ${x.done ? `reached ${x.reached} score ${x.satisfaction ?? '-'} ${x.outcome}` : 'waiting'}`),
            ].join('\n'),
          );
          return;
        }
        case 'due': {
          const r = await cli.invoke('service.orders.due', { mine: v.mine === true });
          cli.print(r, () => orderLines(r.rows));
          return;
        }
        case 'alerts': {
          const a = await cli.invoke('service.alerts', {});
          cli.print(a, () => `overdue ${a.overdue}, due soon ${a.dueSoon}, escalated ${a.escalated}, open ${a.open}, visits waiting ${a.visitsWaiting}`);
          return;
        }
        case 'assign':
        case 'close':
          return orderStep(cli, v, arg, verb);
        case 'step': {
          const kind = need(v, 'kind', 'contact|arrive|restore|note|suspend|resume|reopen|escalate');
          if (!['contact', 'arrive', 'restore', 'note', 'suspend', 'resume', 'reopen', 'escalate'].includes(kind)) throw new UsageError(`--kind ${kind}: contact, arrive, restore, note, suspend, resume, reopen or escalate`);
          return orderStep(cli, v, arg, kind as 'note');
        }
        case 'dispatch': {
          if (!arg) throw new UsageError('service orders dispatch FILE.xlsx');
          let bytes: Buffer;
          try {
            bytes = readFileSync(resolve(arg));
          } catch (error) {
            throw new InputError(`cannot read ${resolve(arg)}: ${(error as Error).message}`);
          }
          const r = await cli.invoke('service.dispatch.import', { fileName: basename(arg), base64: bytes.toString('base64') });
          cli.print(r, () => [...r.taken.map((t) => `  row ${t.row}: ${t.dispatchNo} → ${t.orderNo}`), ...r.refused.map((x) => `  refused: ${x.message}`), `${r.taken.length} taken, ${r.refused.length} refused`].join('\n'));
          return r.refused.length ? 1 : 0;
        }
        case 'staff': {
          const r = await cli.invoke('service.staff', {});
          cli.print(r, () => r.rows.map((s) => `${s.staffNo.padEnd(7)} ${s.name}  ${s.roles.join(', ')}`).join('\n'));
          return;
        }
        default:
          throw new UsageError('service orders create|list|show|due|alerts|assign|step|close|dispatch|staff');
      }
    },
  },
  {
    name: 'service visits',
    channels: ['service.visits.list', 'service.visits.record', 'service.surveys.start'],
    summary: 'Return visits (回访): list (waiting), record VISIT --reached|--not-reached [--score 1-5] [--comments TEXT] [--escalate], survey --period YYYY-MM --size N',
    usage: 'list [--all] | record VISIT_ID (--reached --score N [--comments TEXT] [--escalate] | --not-reached) | survey --period YYYY-MM --size N',
    json: 'list: {rows}; record: {outcome, orderNo}; survey: {survey, visits}',
    positionals: [1, 2],
    options: { all: flag, reached: flag, 'not-reached': flag, score: text, comments: text, escalate: flag, period: text, size: text },
    async run(cli, v, [verb, arg]) {
      if (verb === 'list') {
        const r = await cli.invoke('service.visits.list', { pending: v.all !== true });
        cli.print(r, () => (r.rows.length ? r.rows.map((x) => `${x.visitId}  ${x.orderNo ?? x.survey ?? ''}  ${x.accountNo ?? '-'} ${x.customerName ?? ''} ${x.phone ?? ''}  ${x.satisfaction ?? (x.reached === false ? 'not reached' : 'waiting')}`).join('\n') : 'No visits waiting.'));
        return;
      }
      if (verb === 'record') {
        if (!arg) throw new UsageError('service visits record VISIT_ID');
        if ((v.reached === true) === (v['not-reached'] === true)) throw new UsageError('say --reached or --not-reached');
        const score = str(v, 'score');
        const r = await cli.invoke('service.visits.record', { visitId: arg, reached: v.reached === true, ...(score ? { satisfaction: Number(score) } : {}), comments: str(v, 'comments') ?? '', ...(v.escalate === true ? { outcome: 'escalate' as const } : {}) });
        cli.print(r, () => (r.outcome === 'none' ? 'Visit recorded.' : `Visit recorded: unsatisfied, order ${r.orderNo} ${r.outcome === 'reopen' ? 're-opened' : 'escalated to the head'}.`));
        return;
      }
      if (verb === 'survey') {
        const r = await cli.invoke('service.surveys.start', { period: period(v), size: Number(need(v, 'size', 'N')) });
        cli.print(r, () => `${r.survey}: ${r.visits} customers to call.`);
        return;
      }
      throw new UsageError('service visits list|record|survey');
    },
  },
  {
    name: 'service calendar',
    channels: ['service.calendar.list', 'service.calendar.load'],
    summary: 'The working-day calendar (工作日历): list --year YYYY, load FILE.json (head office\'s days, docs/service.md)',
    usage: 'list --year YYYY | load FILE.json',
    json: 'list: {rows}; load: {loaded}',
    positionals: [1, 2],
    options: { year: text },
    async run(cli, v, [verb, arg]) {
      if (verb === 'list') {
        const r = await cli.invoke('service.calendar.list', { year: need(v, 'year', 'YYYY') });
        cli.print(r, () => (r.rows.length ? r.rows.map((d) => `${d.date}  ${d.kind.padEnd(8)} ${d.name}  (${d.source})`).join('\n') : 'No days loaded: Monday to Friday are working days.'));
        return;
      }
      if (verb === 'load' && arg) {
        const r = await cli.invoke('service.calendar.load', { text: readText(arg), fileName: basename(arg) });
        cli.print(r, () => `Loaded ${r.loaded} calendar day(s).`);
        return;
      }
      throw new UsageError('service calendar list --year YYYY | load FILE.json');
    },
  },
  {
    name: 'service segments',
    channels: ['service.segments.compute', 'service.segments.list', 'service.tags.get', 'service.tags.set', 'service.disconnection.approve'],
    summary: 'Customer segments (客户画像): compute --period, list --period --purpose remind|visit|protect, tags ACCOUNT, tag ACCOUNT --tag T --reason R [--clear], approve ACCOUNT --reason R (disconnection)',
    usage: 'compute --period YYYY-MM | list --period YYYY-MM --purpose remind|visit|protect | tags ACCOUNT | tag ACCOUNT --tag elderly_alone|low_income|medical_equipment --reason TEXT [--clear] | approve ACCOUNT --reason TEXT',
    json: 'compute: {period, counts, added, removed}; list: {rows}; tags: {computed, manual, needsHeadApproval}',
    positionals: [1, 2],
    options: { period: text, purpose: text, tag: text, reason: text, clear: flag },
    async run(cli, v, [verb, arg]) {
      switch (verb) {
        case 'compute': {
          const r = await cli.invoke('service.segments.compute', { period: period(v) });
          cli.print(r, () => [`${r.period}: ${Object.entries(r.counts).map(([c, n]) => `${c} ${n}`).join(', ') || 'no customer in any segment'}`, `${r.added} added, ${r.removed} removed since the last run`].join('\n'));
          return;
        }
        case 'list': {
          const purpose = need(v, 'purpose', 'remind|visit|protect');
          if (purpose !== 'remind' && purpose !== 'visit' && purpose !== 'protect') throw new UsageError('--purpose remind|visit|protect');
          const r = await cli.invoke('service.segments.list', { period: period(v), purpose });
          cli.print(r, () => (r.rows.length ? r.rows.map((x) => `${x.accountNo}  ${x.name}  ${x.phone}  ${x.codes.join(',')}  ${x.address}`).join('\n') : 'Nobody on this list.'));
          return;
        }
        case 'tags': {
          if (!arg) throw new UsageError('service segments tags ACCOUNT');
          const r = await cli.invoke('service.tags.get', { accountNo: arg });
          cli.print(r, () => [`${r.accountNo}: ${[...r.computed, ...r.manual.map((m) => `${m.code} (${m.reason})`)].join(', ') || 'no tags'}`, ...(r.needsHeadApproval ? ['  disconnection needs the head\'s approval'] : [])].join('\n'));
          return;
        }
        case 'tag': {
          if (!arg) throw new UsageError('service segments tag ACCOUNT --tag T --reason R');
          const tag = need(v, 'tag', MANUAL_TAGS.join('|'));
          if (!(MANUAL_TAGS as readonly string[]).includes(tag)) throw new UsageError(`--tag ${tag}: one of ${MANUAL_TAGS.join(', ')}`);
          const r = await cli.invoke('service.tags.set', { accountNo: arg, code: tag as ManualTag, op: v.clear === true ? 'clear' : 'set', reason: need(v, 'reason', 'TEXT') });
          cli.print(r, () => `${arg}: ${tag} ${v.clear === true ? 'removed' : 'set'}.`);
          return;
        }
        case 'approve': {
          if (!arg) throw new UsageError('service segments approve ACCOUNT --reason R');
          const r = await cli.invoke('service.disconnection.approve', { accountNo: arg, reason: need(v, 'reason', 'TEXT') });
          cli.print(r, () => `${arg}: the head approved a disconnection notice.`);
          return;
        }
        default:
          throw new UsageError('service segments compute|list|tags|tag|approve');
      }
    },
  },
  {
    name: 'service reminders',
    channels: ['service.reminders.export'],
    summary: 'The month\'s reminder list (催缴提醒名单) from the segments: --format xlsx (to print) or sms (head office\'s SMS gateway, CSV)',
    usage: 'export --period YYYY-MM --format xlsx|sms --out FILE',
    json: '{file}',
    positionals: [1, 1],
    options: { period: text, format: text, out: text },
    async run(cli, v, [verb]) {
      if (verb !== 'export') throw new UsageError('service reminders export --period YYYY-MM --format xlsx|sms --out FILE');
      const format = str(v, 'format') ?? 'xlsx';
      if (format !== 'xlsx' && format !== 'sms') throw new UsageError('--format xlsx|sms');
      const r = await cli.invoke('service.reminders.export', { period: period(v), format });
      const file = writeBase64(need(v, 'out', 'FILE'), r.base64);
      cli.print({ file }, () => `Wrote ${file}`);
    },
  },
  {
    name: 'service report',
    channels: ['service.report', 'service.report.export'],
    summary: 'Orders by kind, source, compliance and staff, and the satisfaction trend, over months; --out writes the workbook',
    usage: '--from YYYY-MM --to YYYY-MM [--out FILE.xlsx]',
    json: '{from, to, byKind, bySource, byStaff, satisfaction}',
    options: { from: text, to: text, out: text },
    async run(cli, v) {
      const from = need(v, 'from', 'YYYY-MM');
      const to = need(v, 'to', 'YYYY-MM');
      const out = str(v, 'out');
      if (out) {
        const r = await cli.invoke('service.report.export', { from, to });
        const file = writeBase64(out, r.base64);
        cli.print({ file }, () => `Wrote ${file}`);
        return;
      }
      const r = await cli.invoke('service.report', { from, to });
      cli.print(r, () =>
        [
          'kind            orders closed on-time overdue-open',
          ...r.byKind.filter((k) => k.orders).map((k) => `${k.kind.padEnd(15)} ${String(k.orders).padStart(6)} ${String(k.closed).padStart(6)} ${String(k.onTime).padStart(7)} ${String(k.overdueOpen).padStart(12)}`),
          ...r.satisfaction.map((s) => `${s.period}: ${s.satisfied}/${s.reached} satisfied, ${s.notReached} not reached`),
        ].join('\n'),
      );
    },
  },
];
