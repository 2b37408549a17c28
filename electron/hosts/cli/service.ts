import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { isPeriod, shanghaiDateTime } from '../../../shared/time';
import { ORDER_KINDS, MANUAL_TAGS, type OrderKind, type ManualTag } from '../../../shared/service';
import { InputError, UsageError, say, type CliCommand, type CliContext, type Values } from './context';
import { cols, label, table } from './helpers';

// Customer service (客户服务) from the command line: orders, return visits, the calendar,
// segments and tags, reminders and the report. `--staff NO` acts as that member of staff (the
// assignee answering their order); without it the local operator acts as the head.

const text = { type: 'string' } as const;
const flag = { type: 'boolean' } as const;
const str = (v: Values, name: string): string | undefined => (typeof v[name] === 'string' ? (v[name] as string) : undefined);
const need = (v: Values, name: string, what: string): string => {
  const s = str(v, name);
  if (!s) throw new UsageError(say('cli.err.needs', { what: `--${name} ${what}` }));
  return s;
};
const period = (v: Values): string => {
  const p = need(v, 'period', 'YYYY-MM');
  if (!isPeriod(p)) throw new UsageError(say('cli.err.badPeriod', { what: '--period', value: p }));
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
    throw new InputError(say('cli.err.cannotRead', { path: resolve(file), reason: (error as Error).message }));
  }
}

type Row = { orderNo: string; kind: string; state: string; status: string; nextDueAt: number | null; assignee: { staffNo: string } | null; accountNo: string | null; content: string };
const orderLines = (cli: CliContext, rows: Row[]) =>
  rows.length
    ? table([
        cols(cli, 'cli.service.orderCols'),
        ...rows.map((r) => [r.orderNo, label(cli, 'service.kind', r.kind), label(cli, 'service.state', r.state), label(cli, 'service.status', r.status), when(r.nextDueAt), r.assignee?.staffNo ?? '-', r.accountNo ?? '-', r.content.slice(0, 30)]),
      ])
    : cli.t('cli.service.noOrders');
const usage = (what: string) => new UsageError(say('cli.err.expected', { what }));

async function orderStep(cli: CliContext, v: Values, orderNo: string | undefined, kind: 'assign' | 'close' | 'contact' | 'arrive' | 'restore' | 'note' | 'suspend' | 'resume' | 'reopen' | 'escalate') {
  if (!orderNo) throw usage(`service orders ${kind} ORDER_NO`);
  const to = str(v, 'to');
  const by = str(v, 'attribute');
  const r = await cli.invoke('service.orders.step', { orderNo, kind, note: str(v, 'note') ?? '', ...(to ? { assigneeStaffNo: to } : {}), ...(v.valid === true ? { validComplaint: true } : {}), ...(by ? { attributedStaffNo: by } : {}) });
  cli.print(r, () => cli.t(r.visitId ? 'cli.service.stepVisit' : 'cli.service.step', { orderNo: r.orderNo, step: label(cli, 'service.step', kind), state: label(cli, 'service.state', r.state), visit: r.visitId ?? '' }));
}

export const serviceCommands: CliCommand[] = [
  {
    name: 'service orders',
    optionHelp: { kind: 'create: the kind of order (ORDER_KINDS, e.g. repair, complaint, consultation); step: contact|arrive|restore|note|suspend|resume|reopen|escalate', content: 'create: what the customer asks or reports', account: 'create: the customer\'s account number (户号), if known', source: 'create: counter (default) or phone', about: 'create: the staff member a complaint is about (工号)', contact: 'create: the caller\'s name', phone: 'create: the caller\'s phone', open: 'list: only orders not yet closed', mine: 'list/due: only orders assigned to --staff', to: 'assign/step: the staff member (工号) to hand the order to', note: 'step/close: what was done (close: the result told to the customer)', valid: 'close: the complaint was founded (counts against --attribute)', attribute: 'close: the staff member (工号) a founded complaint is held against' },
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
          if (!(ORDER_KINDS as readonly string[]).includes(kind)) throw new UsageError(say('cli.err.oneOf', { what: `--kind ${kind}`, values: ORDER_KINDS.join(', ') }));
          const source = str(v, 'source') ?? 'counter';
          if (source !== 'counter' && source !== 'phone') throw new UsageError(say('cli.err.oneOf', { what: `--source ${source}`, values: 'counter, phone' }));
          const account = str(v, 'account');
          const about = str(v, 'about');
          const r = await cli.invoke('service.orders.create', { kind: kind as OrderKind, source, content: need(v, 'content', 'TEXT'), contactName: str(v, 'contact') ?? '', contactPhone: str(v, 'phone') ?? '', ...(account ? { accountNo: account } : {}), ...(about ? { aboutStaffNo: about } : {}) });
          cli.print(r, () => cli.t('cli.service.created', { orderNo: r.orderNo }));
          return;
        }
        case 'list': {
          const r = await cli.invoke('service.orders.list', { ...(v.open === true ? { state: 'open' as const } : {}), mine: v.mine === true });
          cli.print(r, () => orderLines(cli, r.rows));
          return;
        }
        case 'show': {
          if (!arg) throw usage('service orders show ORDER_NO');
          const o = await cli.invoke('service.orders.get', { orderNo: arg });
          cli.print(o, () =>
            [
              `${o.orderNo}  ${label(cli, 'service.kind', o.kind)}  ${label(cli, 'service.source', o.source)}${o.dispatchNo ? ` ${o.dispatchNo}` : ''}  ${label(cli, 'service.state', o.state)}  ${label(cli, 'service.status', o.status)}`,
              cli.t('cli.service.customer', { account: o.accountNo ?? '-', name: o.customerName ?? o.contactName, at: when(o.receivedAt) }),
              `  ${o.content}`,
              ...o.limits.map((l) => cli.t('cli.service.limit', { milestone: label(cli, 'service.milestone', l.milestone), due: when(l.due), met: when(l.metAt), status: label(cli, 'service.status', l.status) })),
              ...o.steps.map((s) => `  ${when(s.at)}  ${label(cli, 'service.step', s.kind)} ${s.by ?? ''}${s.assignee ? ` → ${s.assignee}` : ''}  ${s.note}`),
              ...o.visits.map((x) =>
                x.done
                  ? cli.t('cli.service.visitDone', { visit: x.visitId, reached: cli.t(x.reached ? 'cli.yes' : 'cli.no'), score: x.satisfaction ?? '-', outcome: x.outcome && x.outcome !== 'none' ? label(cli, 'service.visits.outcome', x.outcome) : '' })
                  : cli.t('cli.service.visitWaiting', { visit: x.visitId }),
              ),
            ].join('\n'),
          );
          return;
        }
        case 'due': {
          const r = await cli.invoke('service.orders.due', { mine: v.mine === true });
          cli.print(r, () => orderLines(cli, r.rows));
          return;
        }
        case 'alerts': {
          const a = await cli.invoke('service.alerts', {});
          cli.print(a, () => cli.t('cli.service.alerts', { overdue: a.overdue, dueSoon: a.dueSoon, escalated: a.escalated, open: a.open, visits: a.visitsWaiting }));
          return;
        }
        case 'assign':
        case 'close':
          return orderStep(cli, v, arg, verb);
        case 'step': {
          const kind = need(v, 'kind', 'contact|arrive|restore|note|suspend|resume|reopen|escalate');
          if (!['contact', 'arrive', 'restore', 'note', 'suspend', 'resume', 'reopen', 'escalate'].includes(kind)) throw new UsageError(say('cli.err.oneOf', { what: `--kind ${kind}`, values: 'contact, arrive, restore, note, suspend, resume, reopen, escalate' }));
          return orderStep(cli, v, arg, kind as 'note');
        }
        case 'dispatch': {
          if (!arg) throw usage('service orders dispatch FILE.xlsx');
          let bytes: Buffer;
          try {
            bytes = readFileSync(resolve(arg));
          } catch (error) {
            throw new InputError(say('cli.err.cannotRead', { path: resolve(arg), reason: (error as Error).message }));
          }
          const r = await cli.invoke('service.dispatch.import', { fileName: basename(arg), base64: bytes.toString('base64') });
          cli.print(r, () => [...r.taken.map((t) => cli.t('cli.service.taken', { row: t.row, dispatchNo: t.dispatchNo, orderNo: t.orderNo })), ...r.refused.map((x) => cli.t('cli.service.refused', { message: x.message })), cli.t('cli.service.dispatched', { taken: r.taken.length, refused: r.refused.length })].join('\n'));
          return r.refused.length ? 1 : 0;
        }
        case 'staff': {
          const r = await cli.invoke('service.staff', {});
          cli.print(r, () => r.rows.map((s) => `${s.staffNo.padEnd(7)} ${s.name}  ${s.roles.map((role) => label(cli, 'role', role)).join(cli.locale === 'en' ? ', ' : '、')}`).join('\n'));
          return;
        }
        default:
          throw usage('service orders create|list|show|due|alerts|assign|step|close|dispatch|staff');
      }
    },
  },
  {
    name: 'service visits',
    optionHelp: { all: 'list: done visits too', reached: 'record: the customer answered', 'not-reached': 'record: nobody answered (the visit stays waiting)', score: 'record: satisfaction 1 (very unhappy) to 5 (very satisfied)', comments: 'record: what the customer said', escalate: 'record: an unhappy customer goes to the station head instead of re-opening the order', period: 'survey: the month YYYY-MM', size: 'survey: how many customers to call' },
    channels: ['service.visits.list', 'service.visits.record', 'service.surveys.start'],
    summary: 'Return visits (回访): list (waiting), record VISIT --reached|--not-reached [--score 1-5] [--comments TEXT] [--escalate], survey --period YYYY-MM --size N',
    usage: 'list [--all] | record VISIT_ID (--reached --score N [--comments TEXT] [--escalate] | --not-reached) | survey --period YYYY-MM --size N',
    json: 'list: {rows}; record: {outcome, orderNo}; survey: {survey, visits}',
    positionals: [1, 2],
    options: { all: flag, reached: flag, 'not-reached': flag, score: text, comments: text, escalate: flag, period: text, size: text },
    async run(cli, v, [verb, arg]) {
      if (verb === 'list') {
        const r = await cli.invoke('service.visits.list', { pending: v.all !== true });
        cli.print(r, () => (r.rows.length ? r.rows.map((x) => `${x.visitId}  ${x.orderNo ?? x.survey ?? ''}  ${x.accountNo ?? '-'} ${x.customerName ?? ''} ${x.phone ?? ''}  ${x.satisfaction ?? cli.t(x.reached === false ? 'service.visits.notReached' : 'service.visits.pending')}`).join('\n') : cli.t('cli.service.noVisits')));
        return;
      }
      if (verb === 'record') {
        if (!arg) throw usage('service visits record VISIT_ID');
        if ((v.reached === true) === (v['not-reached'] === true)) throw new UsageError(say('cli.err.eitherOf', { a: '--reached', b: '--not-reached' }));
        const score = str(v, 'score');
        const r = await cli.invoke('service.visits.record', { visitId: arg, reached: v.reached === true, ...(score ? { satisfaction: Number(score) } : {}), comments: str(v, 'comments') ?? '', ...(v.escalate === true ? { outcome: 'escalate' as const } : {}) });
        cli.print(r, () => cli.t(r.outcome === 'none' ? 'service.visits.recorded' : r.outcome === 'reopen' ? 'service.visits.recordedReopen' : 'service.visits.recordedEscalate', { orderNo: r.orderNo ?? '' }));
        return;
      }
      if (verb === 'survey') {
        const r = await cli.invoke('service.surveys.start', { period: period(v), size: Number(need(v, 'size', 'N')) });
        cli.print(r, () => cli.t('cli.service.survey', { survey: r.survey, visits: r.visits }));
        return;
      }
      throw usage('service visits list|record|survey');
    },
  },
  {
    name: 'service calendar',
    optionHelp: { year: 'list: the year YYYY' },
    channels: ['service.calendar.list', 'service.calendar.load'],
    summary: 'The working-day calendar (工作日历): list --year YYYY, load FILE.json (head office\'s days, docs/service.md)',
    usage: 'list --year YYYY | load FILE.json',
    json: 'list: {rows}; load: {loaded}',
    positionals: [1, 2],
    options: { year: text },
    async run(cli, v, [verb, arg]) {
      if (verb === 'list') {
        const r = await cli.invoke('service.calendar.list', { year: need(v, 'year', 'YYYY') });
        cli.print(r, () => (r.rows.length ? r.rows.map((d) => `${d.date}  ${label(cli, 'cli.service.day', d.kind)} ${d.name}  (${d.source})`).join('\n') : cli.t('cli.service.noDays')));
        return;
      }
      if (verb === 'load' && arg) {
        const r = await cli.invoke('service.calendar.load', { text: readText(arg), fileName: basename(arg) });
        cli.print(r, () => cli.t('cli.service.daysLoaded', { count: r.loaded }));
        return;
      }
      throw usage('service calendar list --year YYYY | load FILE.json');
    },
  },
  {
    name: 'service segments',
    optionHelp: { period: 'compute/list: the month YYYY-MM', purpose: 'list: remind (arrears reminders), visit (home visits) or protect (disconnection needs the head)', tag: 'tag: elderly_alone, low_income or medical_equipment', reason: 'tag/approve: why (kept in the audit log)', clear: 'tag: remove the tag instead of setting it' },
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
          cli.print(r, () => [`${r.period}: ${Object.entries(r.counts).map(([c, n]) => `${label(cli, 'service.segment', c)} ${n}`).join(', ') || cli.t('cli.service.noSegment')}`, cli.t('cli.service.segmentsChanged', { added: r.added, removed: r.removed })].join('\n'));
          return;
        }
        case 'list': {
          const purpose = need(v, 'purpose', 'remind|visit|protect');
          if (purpose !== 'remind' && purpose !== 'visit' && purpose !== 'protect') throw new UsageError(say('cli.err.oneOf', { what: `--purpose ${purpose}`, values: 'remind, visit, protect' }));
          const r = await cli.invoke('service.segments.list', { period: period(v), purpose });
          cli.print(r, () => (r.rows.length ? r.rows.map((x) => `${x.accountNo}  ${x.name}  ${x.phone}  ${x.codes.map((c) => label(cli, 'service.segment', c)).join(',')}  ${x.address}`).join('\n') : cli.t('cli.service.nobody')));
          return;
        }
        case 'tags': {
          if (!arg) throw usage('service segments tags ACCOUNT');
          const r = await cli.invoke('service.tags.get', { accountNo: arg });
          cli.print(r, () => [`${r.accountNo}: ${[...r.computed.map((c) => label(cli, 'service.segment', c)), ...r.manual.map((m) => `${label(cli, 'service.segment', m.code)} (${m.reason})`)].join(', ') || cli.t('cli.service.noTags')}`, ...(r.needsHeadApproval ? [cli.t('cli.service.needsHead')] : [])].join('\n'));
          return;
        }
        case 'tag': {
          if (!arg) throw usage('service segments tag ACCOUNT --tag T --reason R');
          const tag = need(v, 'tag', MANUAL_TAGS.join('|'));
          if (!(MANUAL_TAGS as readonly string[]).includes(tag)) throw new UsageError(say('cli.err.oneOf', { what: `--tag ${tag}`, values: MANUAL_TAGS.join(', ') }));
          const r = await cli.invoke('service.tags.set', { accountNo: arg, code: tag as ManualTag, op: v.clear === true ? 'clear' : 'set', reason: need(v, 'reason', 'TEXT') });
          cli.print(r, () => cli.t(v.clear === true ? 'cli.service.tagCleared' : 'cli.service.tagSet', { account: arg, tag: label(cli, 'service.segment', tag) }));
          return;
        }
        case 'approve': {
          if (!arg) throw usage('service segments approve ACCOUNT --reason R');
          const r = await cli.invoke('service.disconnection.approve', { accountNo: arg, reason: need(v, 'reason', 'TEXT') });
          cli.print(r, () => cli.t('cli.service.approved', { account: arg }));
          return;
        }
        default:
          throw usage('service segments compute|list|tags|tag|approve');
      }
    },
  },
  {
    name: 'service reminders',
    optionHelp: { period: 'the month YYYY-MM', format: 'xlsx (to print, default) or sms (CSV for head office\'s SMS gateway)', out: 'the file to write' },
    channels: ['service.reminders.export'],
    summary: 'The month\'s reminder list (催缴提醒名单) from the segments: --format xlsx (to print) or sms (head office\'s SMS gateway, CSV)',
    usage: 'export --period YYYY-MM --format xlsx|sms --out FILE',
    json: '{file}',
    positionals: [1, 1],
    options: { period: text, format: text, out: text },
    async run(cli, v, [verb]) {
      if (verb !== 'export') throw usage('service reminders export --period YYYY-MM --format xlsx|sms --out FILE');
      const format = str(v, 'format') ?? 'xlsx';
      if (format !== 'xlsx' && format !== 'sms') throw new UsageError(say('cli.err.oneOf', { what: `--format ${format}`, values: 'xlsx, sms' }));
      const r = await cli.invoke('service.reminders.export', { period: period(v), format });
      const file = writeBase64(need(v, 'out', 'FILE'), r.base64);
      cli.print({ file }, () => cli.t('cli.wrote', { file }));
    },
  },
  {
    name: 'service policy',
    optionHelp: { period: 'the month whose segment rules to show (default: this month)' },
    channels: ['service.policy'],
    summary: 'The service policy in force (时限政策, 画像规则): today\'s time limits and the month\'s segment rules, key by key, and the versions loaded from head office',
    usage: '[--period YYYY-MM]',
    json: '{limits: {version, builtIn, keys}, segments: {period, version, builtIn, keys}, versions}',
    options: { period: text },
    async run(cli, v) {
      const r = await cli.invoke('service.policy', str(v, 'period') ? { period: period(v) } : {});
      const name = (version: string, builtIn: boolean) => (builtIn ? cli.t('service.policy.builtIn', { version }) : cli.t('service.policy.fromHq', { version }));
      cli.print(r, () =>
        [
          cli.t('service.policy.limitsInForce', { version: name(r.limits.version, r.limits.builtIn) }),
          table(r.limits.keys.map((k) => [k.key, String(k.value)])),
          cli.t('service.policy.rulesInForce', { period: r.segments.period, version: name(r.segments.version, r.segments.builtIn) }),
          table(r.segments.keys.map((k) => [k.key, k.value])),
          r.versions.length ? table([cols(cli, 'service.policy.versionCols'), ...r.versions.map((x) => [x.kind, x.effectiveFrom, when(x.importedAt), x.by ?? '-'])]) : cli.t('service.policy.noVersions'),
        ].join('\n'),
      );
    },
  },
  {
    name: 'service report',
    optionHelp: { from: 'first month YYYY-MM', to: 'last month YYYY-MM', out: 'write the workbook (xlsx) instead of printing' },
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
        cli.print({ file }, () => cli.t('cli.wrote', { file }));
        return;
      }
      const r = await cli.invoke('service.report', { from, to });
      cli.print(r, () =>
        [
          table([cols(cli, 'cli.service.reportCols'), ...r.byKind.filter((k) => k.orders).map((k) => [label(cli, 'service.kind', k.kind), String(k.orders), String(k.closed), String(k.onTime), String(k.overdueOpen)])]),
          ...r.satisfaction.map((s) => cli.t('cli.service.satisfaction', { period: s.period, satisfied: s.satisfied, reached: s.reached, notReached: s.notReached })),
        ].join('\n'),
      );
    },
  },
];
