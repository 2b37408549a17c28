import type { CustomerView, InputOf, OutputOf } from '../../../shared/contract';
import { CUSTOMER_CLASSES } from '../../../shared/customers/classes';
import { formatCenti, parseCenti } from '../../../shared/money';
import { historyAction, historyEventText } from '../../../shared/customers/history';
import { shanghaiDate, shanghaiDateTime } from '../../../shared/time';
import { InputError, UsageError, type CliCommand, type CliContext, type Values, say } from './context';
import { bookByNo, cols, dateOf, flag, intOf, label, required, str, table, text } from './helpers';

// Customer files (客户档案) changed one at a time on the command line — 新装, changes, 暂停/恢复/
// 销户, 装表/换表/拆表 — and the customer list and history. The workbook import (customers.ts)
// stays the way to file many at once. Readings typed as decimals ("12345.67") travel as hundredths.

type Detail = OutputOf<'customers.get'>;

const fieldOptions = {
  name: text,
  phone: text,
  phone2: text,
  'id-card': text,
  township: text,
  village: text,
  address: text,
  area: text,
  class: text,
  tariff: text,
  household: text,
  'multi-person': flag,
  capacity: text,
  opened: text,
  notes: text,
};
const meterOptions = { meter: text, digits: text, multiplier: text, start: text, installed: text, label: text };

/** What each customer-file and meter option means (--help). */
const fieldHelp: Record<string, string> = {
  name: 'the customer\'s name (户名)',
  phone: 'phone number',
  phone2: 'a second phone number',
  'id-card': 'ID card number (身份证号), kept masked in lists',
  township: 'township (乡镇)',
  village: 'village (村)',
  address: 'the rest of the address (组、门牌)',
  area: 'transformer area (台区)',
  class: 'residential, agricultural, commercial or large_industry',
  tariff: 'tariff code (电价代码), e.g. RES-GD',
  household: 'people in the household (1–99), for the multi-person tier rule',
  'multi-person': 'a multi-person household (多人口户)',
  capacity: 'contracted capacity in kVA (large customers)',
  opened: 'the day the account opened (YYYY-MM-DD, default today)',
  notes: 'free notes',
  meter: 'meter number (表号)',
  digits: 'register digits (4–9, default 6)',
  multiplier: 'multiplier (倍率, default 1)',
  start: 'start reading (起码), e.g. 123.45',
  installed: 'install date (YYYY-MM-DD, default today)',
  label: 'the metering point\'s label, e.g. 照明 or 动力',
};

function centi(value: string, what: string): number {
  try {
    return parseCenti(value, what);
  } catch {
    throw new UsageError(say('cli.err.reading', { what, value }));
  }
}

function customerClass(value: string): CustomerView['customerClass'] {
  if (!(CUSTOMER_CLASSES as readonly string[]).includes(value)) throw new UsageError(say('cli.err.oneOf', { what: '--class', values: CUSTOMER_CLASSES.join(', ') }));
  return value as CustomerView['customerClass'];
}

/** The fields given on the line, over `base` (the file as it is, for an update). */
function fields(v: Values, base?: CustomerView) {
  const get = (name: string, current: string | undefined) => str(v, name) ?? current;
  const household = str(v, 'household');
  const capacity = str(v, 'capacity');
  const name = get('name', base?.name);
  const township = get('township', base?.township);
  const village = get('village', base?.village);
  const area = get('area', base?.transformerArea);
  const cls = get('class', base?.customerClass);
  if (!name || !township || !village || !area || !cls) throw new UsageError(say('cli.err.needs', { what: '--name --township --village --area --class' }));
  return {
    name,
    phone: get('phone', base?.phone) ?? '',
    phone2: get('phone2', base?.phone2) ?? '',
    idCard: get('id-card', base && !base.idCardMasked ? base.idCard : undefined) ?? '',
    township,
    village,
    addressDetail: get('address', base?.addressDetail) ?? '',
    transformerArea: area,
    customerClass: customerClass(cls),
    tariffCode: get('tariff', base?.tariffCode ?? undefined) ?? null,
    householdSize: household !== undefined ? intOf(household, '--household', 1, 99) : (base?.householdSize ?? null),
    multiPerson: v['multi-person'] === true || (base?.multiPerson ?? false),
    capacityKva: capacity !== undefined ? intOf(capacity, '--capacity', 1, 1_000_000) : (base?.capacityKva ?? null),
    openedDate: dateOf(get('opened', base?.openedDate) ?? shanghaiDate(Date.now()), '--opened'),
    notes: get('notes', base?.notes) ?? '',
  };
}

function meter(v: Values, what = '--meter'): InputOf<'meters.install'>['meter'] {
  return {
    meterNo: required(v, what.slice(2), 'METER_NO'),
    digits: intOf(str(v, 'digits') ?? '6', '--digits', 4, 9),
    multiplier: intOf(str(v, 'multiplier') ?? '1', '--multiplier', 1, 100000),
    installDate: dateOf(str(v, 'installed') ?? shanghaiDate(Date.now()), '--installed'),
    startReading: centi(str(v, 'start') ?? '0', '--start'),
  };
}

function detailText(cli: CliContext, d: Detail): string {
  const c = d.customer;
  return [
    cli.t('cli.files.head', { account: c.accountNo, name: c.name, cls: label(cli, 'customers.class', c.customerClass), status: label(cli, 'customers.status', c.status), date: c.statusDate, tariff: c.tariffCode ?? '—' }),
    cli.t('cli.files.place', { address: c.address, area: c.transformerArea, phone: c.phone }),
    ...d.points.flatMap((p) =>
      p.meters
        .filter((m) => m.removedDate === null)
        .map((m) => cli.t('cli.files.meter', { meter: m.meterNo, multiplier: m.multiplier, digits: m.digits, start: formatCenti(m.startReading), date: m.installDate, label: p.label ? ` (${p.label})` : '' })),
    ),
  ].join('\n');
}

async function customer(cli: CliContext, accountNo: string): Promise<Detail> {
  return cli.invoke('customers.get', { accountNo });
}

/** The installed meter with this number, and its customer. */
async function meterByNo(cli: CliContext, meterNo: string): Promise<{ meterId: string; accountNo: string }> {
  const { hits } = await cli.invoke('customers.search', { query: meterNo, limit: 5 });
  for (const hit of hits) {
    const detail = await customer(cli, hit.accountNo);
    for (const p of detail.points) for (const m of p.meters) if (m.meterNo.toUpperCase() === meterNo.toUpperCase() && m.removedDate === null) return { meterId: m.id, accountNo: hit.accountNo };
  }
  throw new InputError(say('cli.err.noMeter', { meter: meterNo }));
}

function statusCommand(name: 'suspend' | 'resume' | 'close', summary: string): CliCommand {
  const channel = `customers.${name}` as const;
  return {
    name: `customers ${name}`,
    summary,
    usage: 'ACCOUNT_NO [--date YYYY-MM-DD] --reason TEXT',
    options: { date: text, reason: text },
    positionals: [1, 1],
    channels: ['customers.get', channel],
    json: '{ customer, points }',
    async run(cli, v, [accountNo = '']) {
      const { customer: c } = await customer(cli, accountNo);
      const detail = await cli.invoke(channel, { customerId: c.id, date: dateOf(str(v, 'date') ?? shanghaiDate(Date.now()), '--date'), reason: str(v, 'reason') ?? '' });
      cli.print(detail, () => detailText(cli, detail));
    },
  };
}

export const filesCommands: CliCommand[] = [
  {
    name: 'customers create',
    optionHelp: fieldHelp,
    summary: 'Open a customer file (新装), with its first meter if --meter is given; prints the new account number',
    usage: '--name NAME --township T --village V --area AREA --class residential|agricultural|commercial|large_industry [--tariff CODE] [--phone P] [--address A] [--opened DATE] [--meter NO --digits N --multiplier M --start READING --installed DATE]',
    options: { ...fieldOptions, ...meterOptions },
    channels: ['customers.create'],
    json: '{ customer: { id, accountNo, … }, points: [{ id, label, meters }] }',
    async run(cli, v) {
      const points = str(v, 'meter') ? [{ label: str(v, 'label') ?? '', meter: meter(v) }] : [];
      const detail = await cli.invoke('customers.create', { ...fields(v), points });
      cli.print(detail, () => cli.t('cli.files.opened', { detail: detailText(cli, detail) }));
    },
  },
  {
    name: 'customers update',
    optionHelp: fieldHelp,
    summary: 'Change fields of a customer file (only those given); refused if someone saved it in between',
    usage: 'ACCOUNT_NO [--name …] [--phone …] [--tariff CODE] [--class C] [--address A] [--area AREA] …',
    options: fieldOptions,
    positionals: [1, 1],
    channels: ['customers.get', 'customers.update'],
    json: '{ customer, points }',
    async run(cli, v, [accountNo = '']) {
      const { customer: c } = await customer(cli, accountNo);
      const detail = await cli.invoke('customers.update', { ...fields(v, c), customerId: c.id, expectedUpdatedAt: c.updatedAt });
      cli.print(detail, () => cli.t('cli.files.saved', { detail: detailText(cli, detail) }));
    },
  },
  statusCommand('suspend', 'Suspend supply to a customer (暂停), with the date and reason'),
  statusCommand('resume', 'Resume supply after a suspension (恢复供电)'),
  statusCommand('close', 'Close a customer file (销户): no installed meter and a zero balance'),
  {
    name: 'customers list',
    summary: 'Customers by place, 台区, class, status or book (paged)',
    usage: '[--township T] [--village V] [--area A] [--class C] [--status S] [--book BOOK_NO] [--offset N] [--limit N]',
    options: { township: text, village: text, area: text, class: text, status: text, book: text, offset: text, limit: text },
    channels: ['books.list', 'customers.list'],
    json: '{ rows: [{ id, accountNo, name, address, transformerArea, customerClass, status, meterNos, … }], total }',
    async run(cli, v) {
      const book = str(v, 'book');
      const cls = str(v, 'class');
      const offset = str(v, 'offset');
      const limit = str(v, 'limit');
      const filter = {
        ...(str(v, 'township') ? { township: str(v, 'township') } : {}),
        ...(str(v, 'village') ? { village: str(v, 'village') } : {}),
        ...(str(v, 'area') ? { transformerArea: str(v, 'area') } : {}),
        ...(cls ? { customerClass: customerClass(cls) } : {}),
        ...(str(v, 'status') ? { status: str(v, 'status') as CustomerView['status'] } : {}),
        ...(book ? { bookId: (await bookByNo(cli, book)).id } : {}),
      };
      const result = await cli.invoke('customers.list', { ...filter, offset: offset ? intOf(offset, '--offset', 0, 10_000_000) : 0, limit: limit ? intOf(limit, '--limit', 1, 500) : 100 });
      cli.print(result, () =>
        [cli.t('cli.files.count', { count: result.total }), table([cols(cli, 'cli.files.cols'), ...result.rows.map((r) => [r.accountNo, r.name, label(cli, 'customers.class', r.customerClass), label(cli, 'customers.status', r.status), r.address])])].join('\n'),
      );
    },
  },
  {
    name: 'customers history',
    summary: 'A customer file\'s history: every change (old → new), meter work and status, by whom and when, newest first',
    usage: 'ACCOUNT_NO',
    positionals: [1, 1],
    channels: ['customers.get', 'customers.history'],
    json: '{ events: [{ id, at, actor, staffName, action, entity, entityId, summary }] }',
    async run(cli, _v, [accountNo = '']) {
      const { customer: c } = await customer(cli, accountNo);
      const result = await cli.invoke('customers.history', { customerId: c.id });
      // The customer page's timeline in lines (shared/customers/history.ts words both).
      const t = cli.t.bind(cli);
      cli.print(result, () =>
        result.events.length === 0
          ? cli.t('customers.history.empty')
          : result.events.map((e) => cli.t('cli.customers.historyLine', { at: shanghaiDateTime(e.at), action: historyAction(e, t), who: e.staffName ?? e.actor, text: historyEventText(e, t) }).trimEnd()).join('\n'),
      );
    },
  },
  {
    name: 'readings history',
    summary: 'Every reading of a customer\'s meters, corrections included, newest first',
    usage: 'ACCOUNT_NO [--limit N]',
    options: { limit: text },
    positionals: [1, 1],
    channels: ['customers.get', 'readings.history'],
    json: '{ rows: [reading with pointLabel, bookNo] }',
    async run(cli, v, [accountNo = '']) {
      const { customer: c } = await customer(cli, accountNo);
      const limit = str(v, 'limit');
      const { rows } = await cli.invoke('readings.history', { customerId: c.id, limit: limit ? intOf(limit, '--limit', 1, 500) : 60 });
      cli.print({ rows }, () =>
        table([
          cols(cli, 'cli.readings.historyCols'),
          ...rows.map((r) => [r.period, r.meterNo, r.readingDate, r.value === null ? '—' : formatCenti(r.value), r.consumption === null ? '' : formatCenti(r.consumption), label(cli, 'reading.kind', r.kind), r.superseded ? cli.t('cli.readings.corrected') : label(cli, 'reading.status', r.status)]),
        ]),
      );
    },
  },
  {
    name: 'meters install',
    summary: 'Install a meter on a new metering point of a customer (装表)',
    usage: 'ACCOUNT_NO --meter METER_NO [--digits N] [--multiplier M] [--start READING] [--installed DATE] [--label TEXT]',
    options: meterOptions,
    positionals: [1, 1],
    channels: ['customers.get', 'meters.install'],
    json: '{ customer, points }',
    async run(cli, v, [accountNo = '']) {
      const { customer: c } = await customer(cli, accountNo);
      const detail = await cli.invoke('meters.install', { customerId: c.id, label: str(v, 'label') ?? '', meter: meter(v) });
      cli.print(detail, () => detailText(cli, detail));
    },
  },
  {
    name: 'meters replace',
    optionHelp: fieldHelp,
    summary: 'Replace a meter (换表): the old one\'s final reading and the new one\'s start reading on one date',
    usage: 'OLD_METER_NO --final READING --meter NEW_METER_NO [--start READING] [--installed DATE] [--digits N] [--multiplier M] [--reason TEXT]',
    options: { ...meterOptions, final: text, reason: text },
    positionals: [1, 1],
    channels: ['customers.search', 'customers.get', 'meters.replace'],
    json: '{ customer, points }',
    async run(cli, v, [meterNo = '']) {
      const { meterId } = await meterByNo(cli, meterNo);
      const detail = await cli.invoke('meters.replace', { meterId, finalReading: centi(required(v, 'final', 'READING'), '--final'), reason: str(v, 'reason') ?? '', meter: meter(v) });
      cli.print(detail, () => detailText(cli, detail));
    },
  },
  {
    name: 'meters remove',
    summary: 'Take a meter off (拆表) with its final reading; the point stops being read',
    usage: 'METER_NO --final READING [--date YYYY-MM-DD] [--reason TEXT]',
    options: { final: text, date: text, reason: text },
    positionals: [1, 1],
    channels: ['customers.search', 'customers.get', 'meters.remove'],
    json: '{ customer, points }',
    async run(cli, v, [meterNo = '']) {
      const { meterId } = await meterByNo(cli, meterNo);
      const detail = await cli.invoke('meters.remove', {
        meterId,
        date: dateOf(str(v, 'date') ?? shanghaiDate(Date.now()), '--date'),
        finalReading: centi(required(v, 'final', 'READING'), '--final'),
        reason: str(v, 'reason') ?? '',
      });
      cli.print(detail, () => detailText(cli, detail));
    },
  },
];
