import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatPoints, KPI_CODES, type KpiCode } from '../../../shared/appraisal';
import { translate, type MessageKey } from '../../../shared/i18n';
import { fenToYuan } from '../../../shared/money';
import { isDate, isPeriod } from '../../../shared/time';
import { parsePoints } from '../../../shared/appraisal';
import { sql } from '../../backend/db/sql';
import { printJobs } from './print';
import { InputError, UsageError, type CliCommand, type CliContext, type Values, say } from './context';
import { cols, label, table } from './helpers';

// Staff appraisal (绩效考核) from the command line. `--staff NO` is the global "act as": for
// show, print and acknowledge it is also whose sheet (a member of staff sees their own); the
// head's verbs name the appraised person with --of NO.

const text = { type: 'string' } as const;

function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

function periodOption(values: Values): string {
  const period = str(values, 'period');
  if (!period) throw new UsageError(say('cli.err.needs', { what: '--period YYYY-MM' }));
  if (!isPeriod(period)) throw new UsageError(say('cli.err.badPeriod', { what: '--period', value: period }));
  return period;
}

function required(values: Values, name: string, what: string): string {
  const v = str(values, name);
  if (!v) throw new UsageError(say('cli.err.needs', { what: `--${name} ${what}` }));
  return v;
}

/** The appraised person: --of for the head's verbs, else the staff member the CLI acts as. */
function person(cli: CliContext, values: Values): string {
  const of = str(values, 'of') ?? cli.staffNo;
  if (!of) throw new UsageError(say('cli.err.appraisalWhose'));
  return of;
}

const pts = (c: number | null) => (c === null ? '—' : formatPoints(c));

function staffIdOf(cli: CliContext): string | undefined {
  if (cli.staffNo === undefined) return undefined;
  const id = cli.backend().store.read.value<string>(sql`SELECT id FROM staff WHERE staff_no = ${cli.staffNo} AND active = 1`);
  if (!id) throw new InputError(say('cli.noStaff', { staffNo: cli.staffNo ?? '' }));
  return id;
}

function writeBase64(out: string, base64: string): string {
  const path = resolve(out);
  writeFileSync(`${path}.partial`, Buffer.from(base64, 'base64'));
  renameSync(`${path}.partial`, path);
  return path;
}

export const appraisalCommands: CliCommand[] = [
  {
    name: 'appraisal sheets',
    json: 'list: [score sheet versions without their definition]; import: { ok, loaded, unchanged, sheets[] }, refused: { ok: false, problems[] }',
    channels: ['appraisal.sheets.list', 'appraisal.sheets.check', 'appraisal.sheets.import'],
    summary: 'Score sheets (考核方案): "appraisal sheets import FILE.json" loads a head-office file (all or nothing); "appraisal sheets list" lists them',
    usage: 'import FILE.json | list',
    positionals: [1, 2],
    async run(cli, _v, [verb, file]) {
      if (verb === 'list') {
        const { rows } = await cli.invoke('appraisal.sheets.list', {});
        cli.print(rows.map(({ definition: _d, ...r }) => r), () =>
          rows.length
            ? rows
                .map((r) =>
                  cli.t('cli.appr.sheet', {
                    code: r.code.padEnd(10),
                    from: r.effectiveFrom,
                    full: r.fullScore,
                    areas: r.areas,
                    items: r.items,
                    pay: r.pay.method === 'points' ? cli.t('cli.appr.payPoints', { base: fenToYuan(r.pay.baseFen), full: r.fullScore }) : cli.t('cli.appr.payPool', { pool: fenToYuan(r.pay.poolFen) }),
                    inForce: r.inForce ? cli.t('cli.appr.inForce') : '',
                    name: r.name,
                  }),
                )
                .join('\n')
            : cli.t('cli.appr.noSheet'),
        );
        return;
      }
      if (verb !== 'import' || !file) throw new UsageError(say('cli.err.expected', { what: 'appraisal sheets import FILE.json | appraisal sheets list' }));
      const path = resolve(file);
      let body: string;
      try {
        body = readFileSync(path, 'utf8');
      } catch (error) {
        throw new InputError(say('cli.err.cannotRead', { path, reason: (error as Error).message }));
      }
      const check = await cli.invoke('appraisal.sheets.check', { text: body });
      if (!check.ok) {
        if (cli.json) cli.print({ ok: false, problems: check.problems }, () => '');
        for (const p of check.problems) cli.io.stderr(`  ${p}`);
        throw new InputError(say('cli.err.fileProblems', { path, count: check.problems.length }));
      }
      const result = await cli.invoke('appraisal.sheets.import', { text: body, fileName: path });
      cli.print({ ok: true, ...result }, () =>
        [...result.sheets.map((s) => cli.t(s.status === 'new' ? 'cli.appr.sheetNew' : 'cli.appr.sheetSame', { code: s.code, from: s.effectiveFrom })), cli.t('cli.appr.loaded', { loaded: result.loaded, unchanged: result.unchanged })].join('\n'),
      );
    },
  },
  {
    name: 'appraisal compute',
    json: 'the appraisal.compute result: { period, sheet, drafted, recomputed, unchanged, signed, notAppraised[] } (shared/contract/appraisal.ts)',
    channels: ['appraisal.compute'],
    summary: 'Compute the month\'s appraisal drafts for the whole station (the head)',
    usage: '--period YYYY-MM [--sheet CODE]',
    options: { period: text, sheet: text },
    async run(cli, v) {
      const sheet = str(v, 'sheet');
      const r = await cli.invoke('appraisal.compute', { period: periodOption(v), ...(sheet ? { sheetCode: sheet } : {}) });
      cli.print(r, () =>
        [
          cli.t('cli.appr.computed', { period: r.period, code: r.sheet.code, name: r.sheet.name, drafted: r.drafted, recomputed: r.recomputed, unchanged: r.unchanged, signed: r.signed }),
          ...r.notAppraised.map((s) => cli.t('cli.appr.notAppraised', { staffNo: s.staffNo, name: s.name, date: s.startDate })),
        ].join('\n'),
      );
    },
  },
  {
    name: 'appraisal summary',
    json: 'the appraisal.summary view: the month\'s rows (rank, staff, totals, status, pay) and totals',
    channels: ['appraisal.summary'],
    summary: 'The station\'s month (考核汇总表): ranking, totals, status and pay',
    usage: '--period YYYY-MM [--json]',
    options: { period: text },
    async run(cli, v) {
      const s = await cli.invoke('appraisal.summary', { period: periodOption(v) });
      cli.print(s, () =>
        [
          table([cols(cli, 'cli.appr.summaryCols'), ...s.rows.map((r) => [String(r.rank), r.staffNo, r.name, pts(r.totalCenti), pts(r.adjustmentsCenti), label(cli, 'appraisal.status', r.status), fenToYuan(r.payFen)])]),
          cli.t('cli.appr.summaryTotal', { pay: fenToYuan(s.totals.payFen), signed: s.totals.signed, disputed: s.totals.disputed }),
        ].join('\n'),
      );
    },
  },
  {
    name: 'appraisal list',
    optionHelp: { of: 'whose appraisal (工号), for the station head; without it, the --staff member\'s own' },
    json: 'the appraisal.list view: { staff, rows: [month by month] }',
    channels: ['appraisal.list'],
    summary: 'A person\'s appraisals month by month (as --staff: one\'s own)',
    usage: '--staff NO [--json]',
    options: { of: text },
    async run(cli, v) {
      const of = str(v, 'of') ?? cli.staffNo;
      const l = await cli.invoke('appraisal.list', of ? { staffNo: of } : {});
      cli.print(l, () => [`${l.staff.staffNo} ${l.staff.name}`, ...l.rows.map((r) => cli.t('cli.appr.listRow', { period: r.period, code: r.sheetCode.padEnd(8), total: pts(r.totalCenti).padStart(7), full: r.fullScore, version: r.versionNo, status: label(cli, 'appraisal.status', r.status) }))].join('\n'));
    },
  },
  {
    name: 'appraisal show',
    optionHelp: { of: 'whose appraisal (工号), for the station head; without it, the --staff member\'s own' },
    json: 'the appraisal.get view: the sheet with every version, items, entries, responses and signature',
    channels: ['appraisal.get'],
    summary: 'One person\'s appraisal sheet for a month: items, figures, points entered, answers, signature, every version',
    usage: '--staff NO --period YYYY-MM [--json]',
    options: { period: text, of: text },
    async run(cli, v) {
      const a = await cli.invoke('appraisal.get', { period: periodOption(v), staffNo: person(cli, v) });
      const t = (key: MessageKey) => translate(cli.locale, key);
      cli.print(a, () =>
        a.versions
          .map((ver, i) =>
            [
              (i === 0 ? '' : `\n${cli.t('cli.appr.earlier')}`) +
                cli.t('cli.appr.head', { staffNo: a.staff.staffNo, name: a.staff.name, period: a.period, code: a.sheet.code, sheet: a.sheet.name, version: ver.versionNo, kind: label(cli, 'appraisal.kind', ver.kind), reason: ver.reason ? `: ${ver.reason}` : '', state: ver.signature ? cli.t('cli.appr.signedBy', { by: ver.signature.by }) : label(cli, 'appraisal.status', a.status) }),
              ...ver.items.map((it) => {
                const d = it.data;
                const data = d === null ? cli.t('cli.appr.manual') : d.value === null ? t('appraisal.notMeasured') : d.denominator !== null ? `${d.value}% (${d.numerator}/${d.denominator})` : String(d.value);
                return `  ${it.itemId.padEnd(4)} ${it.name.padEnd(10)} ${String(it.points).padStart(4)}  ${data.padEnd(18)} ${pts(it.scoreCenti).padStart(6)}`;
              }),
              ...ver.entries.map((e) => `  ${pts(e.pointsCenti).padStart(6)}  ${e.itemName ?? cli.t('cli.appr.bonus')}: ${e.reason} (${e.by ?? ''})`),
              ...ver.responses.map((r) => cli.t(r.kind === 'dispute' ? 'cli.appr.respDispute' : 'cli.appr.respAck', { by: r.by, note: r.note ?? '' })),
              cli.t('cli.appr.total', { total: pts(ver.totalCenti), full: a.sheet.fullScore }) + (i === 0 && a.payFen !== null ? cli.t('cli.appr.totalPay', { pay: fenToYuan(a.payFen) }) : ''),
            ].join('\n'),
          )
          .join('\n'),
      );
    },
  },
  {
    name: 'appraisal drill',
    optionHelp: { of: 'whose appraisal (工号), for the station head; without it, the --staff member\'s own' },
    json: 'the appraisal.drill view: { columns, rows, total }',
    channels: ['appraisal.drill'],
    summary: 'The rows behind one KPI of a person\'s month (readings corrected, meters not read, bills unpaid, closings …)',
    usage: `--staff NO --period YYYY-MM --kpi ${KPI_CODES.slice(0, 3).join('|')}|… [--json]`,
    options: { period: text, of: text, kpi: text },
    async run(cli, v) {
      const kpi = required(v, 'kpi', 'CODE');
      if (!(KPI_CODES as readonly string[]).includes(kpi)) throw new UsageError(say('cli.err.oneOf', { what: '--kpi', values: KPI_CODES.join(', ') }));
      const d = await cli.invoke('appraisal.drill', { period: periodOption(v), staffNo: person(cli, v), kpi: kpi as KpiCode });
      cli.print(d, () => [d.columns.map((c) => translate(cli.locale, c.key as MessageKey)).join('\t'), ...d.rows.map((r) => r.map((c) => (c === null ? '' : String(c))).join('\t')), cli.t('cli.appr.rows', { count: d.total })].join('\n'));
    },
  },
  {
    name: 'appraisal adjust',
    json: '{ ok: true }',
    channels: ['appraisal.adjust'],
    summary: 'The head\'s bonus or deduction points (加减分) with a reason, or points on a manual item (--item ID)',
    usage: '--of NO --period YYYY-MM --points=-2 --reason TEXT [--item ID]',
    options: { period: text, of: text, points: text, reason: text, item: text },
    async run(cli, v) {
      const p = parsePoints(required(v, 'points', 'N'));
      if (p === null) throw new UsageError(say('cli.err.points'));
      const staffNo = required(v, 'of', 'NO');
      await cli.invoke('appraisal.adjust', { period: periodOption(v), staffNo, itemId: str(v, 'item') ?? null, pointsCenti: p, reason: required(v, 'reason', 'TEXT') });
      cli.print({ ok: true }, () => cli.t('cli.appr.entered', { points: formatPoints(p), staffNo }));
    },
  },
  {
    name: 'appraisal acknowledge',
    json: '{ ok: true }',
    channels: ['appraisal.respond'],
    summary: 'The staff member named by --staff acknowledges their sheet, or disputes it with --dispute NOTE',
    usage: '--staff NO --period YYYY-MM [--dispute NOTE]',
    options: { period: text, dispute: text },
    async run(cli, v) {
      if (!cli.staffNo) throw new InputError(say('cli.err.ackOwn'));
      const dispute = str(v, 'dispute');
      await cli.invoke('appraisal.respond', { period: periodOption(v), kind: dispute === undefined ? 'acknowledge' : 'dispute', note: dispute ?? '' });
      cli.print({ ok: true }, () => cli.t(dispute === undefined ? 'cli.appr.acknowledged' : 'cli.appr.disputed'));
    },
  },
  {
    name: 'appraisal sign',
    json: 'the appraisal.sign result: signed, or the recomputed version with its changes',
    channels: ['appraisal.get', 'appraisal.sign'],
    summary: 'The head signs a person\'s current version; if the data changed, it is recomputed and the changes shown instead',
    usage: '--of NO --period YYYY-MM [--version N]',
    options: { period: text, of: text, version: text },
    async run(cli, v) {
      const period = periodOption(v);
      const staffNo = required(v, 'of', 'NO');
      const versionNo = str(v, 'version') !== undefined ? Number(str(v, 'version')) : (await cli.invoke('appraisal.get', { period, staffNo })).versions[0]!.versionNo;
      if (!Number.isInteger(versionNo) || versionNo < 1) throw new UsageError(say('cli.err.wholeNumber', { what: '--version', value: String(v.version ?? '') }));
      const r = await cli.invoke('appraisal.sign', { period, staffNo, versionNo });
      cli.print(r, () =>
        r.signed ? cli.t('cli.appr.signed', { version: r.versionNo, staffNo, period }) : [cli.t('cli.appr.changed', { was: versionNo, version: r.versionNo }), ...r.changes.map((c) => `  ${c.code}: ${c.before.value ?? '—'} → ${c.after.value ?? '—'}`)].join('\n'),
      );
      return r.signed ? 0 : 1;
    },
  },
  {
    name: 'appraisal revise',
    json: 'the appraisal.revise result: the new version number',
    channels: ['appraisal.revise'],
    summary: 'Change a signed appraisal: a new version with the reason (the signed one is kept)',
    usage: '--of NO --period YYYY-MM --reason TEXT',
    options: { period: text, of: text, reason: text },
    async run(cli, v) {
      const r = await cli.invoke('appraisal.revise', { period: periodOption(v), staffNo: required(v, 'of', 'NO'), reason: required(v, 'reason', 'TEXT') });
      cli.print(r, () => cli.t('cli.appr.revised', { version: r.versionNo }));
    },
  },
  {
    name: 'appraisal trend',
    optionHelp: { of: 'whose appraisal (工号), for the station head; without it, the --staff member\'s own' },
    json: 'the appraisal.trend view: totals and KPIs over 12 months',
    channels: ['appraisal.trend'],
    summary: 'A person\'s total and KPIs over the 12 months to --to',
    usage: '--staff NO --to YYYY-MM [--json]',
    options: { of: text, to: text },
    async run(cli, v) {
      const to = required(v, 'to', 'YYYY-MM');
      if (!isPeriod(to)) throw new UsageError(say('cli.err.badPeriod', { what: '--to', value: to }));
      const t = await cli.invoke('appraisal.trend', { staffNo: person(cli, v), to, months: 12 });
      cli.print(t, () => t.totals.map((p) => `${p.period}  ${pts(p.totalCenti).padStart(7)}  ${p.status ? label(cli, 'appraisal.status', p.status) : ''}`).join('\n'));
    },
  },
  {
    name: 'appraisal start-date',
    json: '{ ok: true }',
    channels: ['appraisal.setStartDate'],
    summary: 'The day a member of staff started at the station (the mid-month rule: after the 16th, appraised from the next month)',
    usage: '--of NO --date YYYY-MM-DD',
    options: { of: text, date: text },
    async run(cli, v) {
      const date = required(v, 'date', 'YYYY-MM-DD');
      if (!isDate(date)) throw new UsageError(say('cli.err.badDate', { what: '--date', value: date }));
      await cli.invoke('appraisal.setStartDate', { staffNo: required(v, 'of', 'NO'), date });
      cli.print({ ok: true }, () => cli.t('cli.appr.started'));
    },
  },
  {
    name: 'appraisal export',
    json: '{ file }',
    channels: ['appraisal.export'],
    summary: 'The month as a workbook: summary with ranking and pay, items, points entered, KPI figures',
    usage: '--period YYYY-MM --out FILE.xlsx',
    options: { period: text, out: text },
    async run(cli, v) {
      const file = await cli.invoke('appraisal.export', { period: periodOption(v) });
      const path = writeBase64(required(v, 'out', 'FILE.xlsx'), file.base64);
      cli.print({ file: path }, () => cli.t('cli.saved', { file: path }));
    },
  },
  {
    name: 'appraisal export-rows',
    optionHelp: { of: 'whose appraisal (工号), for the station head; without it, the --staff member\'s own' },
    json: '{ file }',
    channels: ['appraisal.exportDrill'],
    summary: 'The rows behind one KPI as a workbook',
    usage: '--staff NO --period YYYY-MM --kpi CODE --out FILE.xlsx',
    options: { period: text, of: text, kpi: text, out: text },
    async run(cli, v) {
      const kpi = required(v, 'kpi', 'CODE');
      if (!(KPI_CODES as readonly string[]).includes(kpi)) throw new UsageError(say('cli.err.oneOf', { what: '--kpi', values: KPI_CODES.join(', ') }));
      const file = await cli.invoke('appraisal.exportDrill', { period: periodOption(v), staffNo: person(cli, v), kpi: kpi as KpiCode });
      const path = writeBase64(required(v, 'out', 'FILE.xlsx'), file.base64);
      cli.print({ file: path }, () => cli.t('cli.saved', { file: path }));
    },
  },
  {
    name: 'appraisal print',
    optionHelp: { of: 'whose appraisal (工号), for the station head; without it, the --staff member\'s own' },
    json: '{ file, bytes }',
    channels: ['appraisal.get', 'appraisal.summary'],
    summary: 'Print to PDF: one person\'s A4 sheet (--staff), or the month\'s summary and every sheet',
    usage: '--period YYYY-MM [--staff NO] --out FILE.pdf',
    options: { period: text, out: text, of: text },
    async run(cli, v) {
      const period = periodOption(v);
      const out = required(v, 'out', 'FILE.pdf');
      const of = str(v, 'of') ?? cli.staffNo;
      // A clear message before any browser starts.
      if (of) await cli.invoke('appraisal.get', { period, staffNo: of });
      else await cli.invoke('appraisal.summary', { period });
      const staffId = staffIdOf(cli);
      const job = {
        route: of ? `/print/appraisal/${period}/${encodeURIComponent(of)}` : `/print/appraisal-month/${period}`,
        as: staffId ? { staffId } : { operator: cli.operator },
        out: resolve(out),
        timeoutMs: 60_000,
      };
      const [written] = await printJobs(cli, [job]);
      if (!written) throw new InputError(say('cli.err.noPdf'));
      cli.print({ file: written.path, bytes: written.bytes }, () => cli.t('cli.savedBytes', { file: written.path, bytes: written.bytes }));
    },
  },
];
