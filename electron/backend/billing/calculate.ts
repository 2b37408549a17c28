import type { BillDetails } from '../../../shared/contract';
import { readStoredMessage, storeMessage, type CodedMessage } from '../../../shared/i18n/coded';
import {
  BillingError,
  billFlags,
  computeBill,
  tariffInForce,
  tierYearStart,
  TOU_PERIODS,
  type Bill,
  type BillInput,
  type BillFlag,
  type BillHistory,
  type BillingPolicy,
  type TariffVersion,
  type TouPeriod,
} from '../../../shared/billing';
import type { Centi } from '../../../shared/money';
import { addMonths, type Period } from '../../../shared/time';
import { sql, type SqlFragment } from '../db/sql';
import { periodPublished } from '../readings/due';
import type { ReadableDB } from '../db/store';
import { billingPolicy, loadTariffVersions } from './tariffs';

// Gathering what a bill needs and computing it (电费计算): the readings in force that billing may
// bill (the billable_readings view of migration 0003), the customer file, the tariff version in
// force, the tier year's earlier usage and the customer's history. Used by the billing run and by
// corrections, so a corrected bill is computed exactly as the run would compute it today.

export interface BillingScope {
  period: Period;
  /** Customers with a point due in this book (their other points count too). */
  bookId?: string | undefined;
  /** One customer (corrections). */
  customerId?: string | undefined;
}

export interface ReadingInput {
  id: string;
  pointId: string;
  customerId: string;
  consumption: Centi;
  touConsumption: Partial<Record<TouPeriod, Centi>> | null;
  kind: string;
}

export interface CustomerInput {
  id: string;
  accountNo: string;
  name: string;
  customerClass: string;
  tariffCode: string | null;
  multiPerson: boolean;
  capacityKva: number | null;
  openedDate: string;
}

interface DuePoint {
  pointId: string;
  customerId: string;
  bookId: string;
  seq: number;
}

/** Computed bills one context keeps for sharing (bounds memory; on annual tiers nearly every customer has their own). */
const MAX_COMPUTED = 100_000;

/** One computation of a bill, shared by the customers whose tariff and input are the same. */
type Computed = Pick<PreparedBill, 'bill' | 'details' | 'json'>;

/** A computed bill, ready to be written. */
export interface PreparedBill {
  customer: CustomerInput;
  tariff: TariffVersion;
  readings: ReadingInput[];
  kwh: Centi;
  bill: Bill;
  details: BillDetails;
  flags: BillFlag[];
  bookId: string | null;
  bookSeq: number | null;
  /** The details and lines as JSON, made by the first staging and kept for the customers who share the bill. */
  json: { made?: { details: string; lines: string } };
}

export type ProblemCode = 'no_tariff' | 'tariff_unknown' | 'tariff_not_in_force' | 'cannot_compute';

export interface PreparedProblem {
  customer: CustomerInput;
  code: ProblemCode;
  /** cannot_compute: the rule's reason as a stored coded message (shared/i18n/coded.ts), rendered in the reader's language when shown; otherwise the tariff code. */
  detail: string;
}

/** Why a customer cannot be billed, as one message in the caller's language: the rule's reason, or `billing.problem.<code>`. */
export function problemReason(problem: { code: ProblemCode; detail: string }): CodedMessage {
  const reason = problem.code === 'cannot_compute' ? readStoredMessage(problem.detail) : null;
  return reason ?? { key: `billing.problem.${problem.code}`, params: { detail: problem.detail } };
}

export interface BillingInputs {
  scope: BillingScope;
  /** Customers whose due points all have a billable reading, with those readings. */
  ready: { customer: CustomerInput; readings: ReadingInput[]; book: DuePoint | null }[];
  /** Customers in scope with a bill in force for the period already. */
  billed: Set<string>;
  /** Customers in scope still waiting for a reading or its review, with the book of their first due point. */
  waiting: { customerId: string; bookId: string | null }[];
  /** Metering points due in scope. */
  due: number;
}

/** The customers a scope covers, as a subquery; null for the whole station (no filter needed). */
function scopeCustomers(scope: BillingScope): SqlFragment | null {
  if (scope.customerId) return sql`SELECT ${scope.customerId}`;
  if (scope.bookId) {
    return sql`SELECT p.customer_id FROM reading_due d JOIN metering_points p ON p.id = d.point_id
               WHERE d.period = ${scope.period} AND d.book_id = ${scope.bookId}`;
  }
  return null;
}

/** `AND <column> IN (scope)`, or nothing for the whole station. */
function inScope(scope: BillingScope, column: SqlFragment): SqlFragment {
  const customers = scopeCustomers(scope);
  return customers ? sql`AND ${column} IN (${customers})` : sql``;
}

interface CustomerDbRow {
  id: string;
  account_no: string;
  name: string;
  customer_class: string;
  tariff_code: string | null;
  multi_person: number;
  capacity_kva: number | null;
  opened_date: string;
}

interface ReadingDbRow {
  id: string;
  point_id: string;
  customer_id: string;
  consumption: number;
  tou_consumption: string | null;
  kind: string;
}

function parseTou(text: string | null): Partial<Record<TouPeriod, Centi>> | null {
  if (!text) return null;
  const raw = JSON.parse(text) as Record<string, unknown>;
  const out: Partial<Record<TouPeriod, Centi>> = {};
  for (const p of TOU_PERIODS) if (typeof raw[p] === 'number') out[p] = raw[p];
  return Object.keys(out).length ? out : null;
}

/** Who in scope can be billed now, who is billed already, who is still waiting. */
export function gatherInputs(db: ReadableDB, scope: BillingScope): BillingInputs {
  const { period } = scope;
  const customers = new Map<string, CustomerInput>();
  for (const c of db.iterate<CustomerDbRow>(sql`
      SELECT id, account_no, name, customer_class, tariff_code, multi_person, capacity_kva, opened_date
      FROM customers c WHERE 1 = 1 ${inScope(scope, sql`c.id`)}`)) {
    customers.set(c.id, {
      id: c.id,
      accountNo: c.account_no,
      name: c.name,
      customerClass: c.customer_class,
      tariffCode: c.tariff_code,
      multiPerson: c.multi_person === 1,
      capacityKva: c.capacity_kva,
      openedDate: c.opened_date,
    });
  }
  const duePoints = new Map<string, DuePoint[]>();
  let due = 0;
  for (const d of db.iterate<DuePoint>(sql`
      SELECT d.point_id AS pointId, p.customer_id AS customerId, d.book_id AS bookId, d.seq
      FROM reading_due d JOIN metering_points p ON p.id = d.point_id
      WHERE d.period = ${period} AND ${periodPublished(period)} ${inScope(scope, sql`p.customer_id`)}
      ORDER BY d.book_id, d.seq`)) {
    const list = duePoints.get(d.customerId);
    if (list) list.push(d);
    else duePoints.set(d.customerId, [d]);
    if (!scope.bookId || d.bookId === scope.bookId) due += 1;
  }
  const readings = new Map<string, ReadingInput[]>();
  for (const r of db.iterate<ReadingDbRow>(sql`
      SELECT id, point_id, customer_id, consumption, tou_consumption, kind
      FROM billable_readings WHERE period = ${period} ${inScope(scope, sql`customer_id`)}`)) {
    const reading: ReadingInput = {
      id: r.id,
      pointId: r.point_id,
      customerId: r.customer_id,
      consumption: r.consumption,
      touConsumption: parseTou(r.tou_consumption),
      kind: r.kind,
    };
    const list = readings.get(r.customer_id);
    if (list) list.push(reading);
    else readings.set(r.customer_id, [reading]);
  }
  const billed = new Set(db.column<string>(sql`SELECT customer_id FROM bills_in_force WHERE period = ${period} ${inScope(scope, sql`customer_id`)}`));

  const ready: BillingInputs['ready'] = [];
  const waiting: BillingInputs['waiting'] = [];
  for (const customer of customers.values()) {
    const own = readings.get(customer.id) ?? [];
    const points = duePoints.get(customer.id) ?? [];
    if (own.length === 0 && points.length === 0) continue; // nothing due this period
    const readPoints = new Set(own.map((r) => r.pointId));
    const complete = own.length > 0 && points.every((p) => readPoints.has(p.pointId));
    if (!complete) {
      if (!billed.has(customer.id)) waiting.push({ customerId: customer.id, bookId: points[0]?.bookId ?? null });
      continue;
    }
    const book = (scope.bookId ? points.find((p) => p.bookId === scope.bookId) : undefined) ?? points[0] ?? null;
    ready.push({ customer, readings: own, book });
  }
  // Book order, so bill numbers follow the order notices are printed in.
  ready.sort((a, b) => (a.book?.bookId ?? '').localeCompare(b.book?.bookId ?? '') || (a.book?.seq ?? 0) - (b.book?.seq ?? 0));
  return { scope, ready, billed, waiting, due };
}

/** The kWh billed in force to `customers` (a subquery) from `start` until before `period`: [customer, kWh]. */
function tierYearUsage(start: Period, period: Period, customers: SqlFragment): SqlFragment {
  return sql`SELECT customer_id, sum(kwh) AS kwh FROM bills_in_force
             WHERE period IN (SELECT period FROM bill_periods WHERE period >= ${start} AND period < ${period})
               AND customer_id IN (${customers})
             GROUP BY customer_id`;
}

interface MeterExtras {
  kvarh: number | null;
  maxDemandKw: number | null;
}

/** Everything computing needs besides the customer's own readings: tariffs, policy, history. */
export class BillingContext {
  readonly versions: TariffVersion[];
  readonly policy: BillingPolicy;
  private readonly tariffCache = new Map<string, TariffVersion | 'unknown' | 'not_in_force'>();
  private readonly history = new Map<string, BillHistory>();
  private readonly cumulative = new Map<Period, Map<string, Centi>>();
  /** Tier years whose earlier usage is loaded for every customer on their tariffs (none loaded = 0 kWh). */
  private readonly tierYearsLoaded = new Set<Period>();
  private readonly extras = new Map<string, MeterExtras>();
  /** Bills computed so far, by tariff and input (see prepare). Shared: never changed once made. */
  private readonly computed = new Map<string, Computed>();
  /** How many bills were computed rather than found computed (the bench reports it). */
  distinct = 0;

  /**
   * The tariffs and policy only: `load` the rows of `reads()` next (or use `BillingContext.read`).
   * `share: false` computes every bill on its own (the bench measures what a station whose
   * customers all differ would see).
   */
  constructor(
    private readonly db: ReadableDB,
    readonly scope: BillingScope,
    private readonly options: { share?: boolean } = {},
  ) {
    this.versions = loadTariffVersions(db);
    this.policy = billingPolicy(db, `${scope.period}-01`);
  }

  /** A context with its history and meter extras read from `db`. */
  static read(db: ReadableDB, scope: BillingScope): BillingContext {
    const context = new BillingContext(db, scope);
    context.load(context.reads().map((q) => db.rows(q)));
    return context;
  }

  /**
   * What a context reads before it computes, in the order `load` takes the rows: each customer's
   * earlier issued bills in force over the policy's months (from the ledger: a corrected bill's
   * charge is cancelled by its credit, so bills − credits counts the bills in force and the sum is
   * theirs); this period's meter extras (the last entered wins); and with `tierYears`, for each tier
   * year of the annual tariffs in force, the kWh billed earlier in it to every customer on them
   * (a whole station's run reads all of these on another thread while it gathers the readings).
   */
  reads({ tierYears = false } = {}): SqlFragment[] {
    const { period } = this.scope;
    const from = addMonths(period, -this.policy.averageMonths);
    const queries = [
      sql`SELECT customer_id, sum(CASE entry_type WHEN 'bill' THEN 1 ELSE -1 END) AS n, sum(amount_fen) AS s
          FROM ledger_entries
          WHERE period >= ${from} AND period < ${period} AND entry_type IN ('bill', 'bill_credit') ${inScope(this.scope, sql`customer_id`)}
          GROUP BY customer_id`,
      sql`SELECT customer_id, kvarh, max_demand_kw FROM billing_meter_extras
          WHERE period = ${period} ${inScope(this.scope, sql`customer_id`)} ORDER BY entered_at, id`,
    ];
    if (tierYears) {
      for (const [start, codes] of this.annualTariffs()) {
        queries.push(
          tierYearUsage(start, period, sql`SELECT id FROM customers WHERE tariff_code IN (SELECT value FROM json_each(${JSON.stringify(codes)})) ${inScope(this.scope, sql`id`)}`),
        );
      }
    }
    return queries;
  }

  /** Takes the rows of `reads()` (as arrays, in its order). */
  load([history = [], extras = [], ...tierYears]: readonly (readonly unknown[])[][]): void {
    for (const [customerId, count, sumFen] of history as [string, number, number][]) if (count > 0) this.history.set(customerId, { count, sumFen });
    for (const [customerId, kvarh, maxDemandKw] of extras as [string, number | null, number | null][]) this.extras.set(customerId, { kvarh, maxDemandKw });
    [...this.annualTariffs().keys()].forEach((start, i) => {
      const rows = tierYears[i] as [string, Centi][] | undefined;
      if (!rows) return;
      this.cumulative.set(start, new Map(rows));
      this.tierYearsLoaded.add(start);
    });
  }

  /** The annual-tier tariffs in force, by the start of their tier year (in a fixed order). */
  private annualTariffs(): Map<Period, string[]> {
    const byStart = new Map<Period, string[]>();
    for (const code of [...new Set(this.versions.map((v) => v.code))].sort()) {
      const start = this.tierYearOf(this.tariffFor(code));
      if (start) byStart.set(start, [...(byStart.get(start) ?? []), code]);
    }
    return new Map([...byStart].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** The start of the period's tier year under an annual-tier tariff; null for any other. */
  private tierYearOf(tariff: TariffVersion | 'unknown' | 'not_in_force'): Period | null {
    return typeof tariff === 'object' && tariff.tiers?.basis === 'annual' ? tierYearStart(this.scope.period, tariff.tiers.yearStartMonth ?? 1) : null;
  }

  /** The tariff version in force for the period: the latest effective on or before its first day. */
  tariffFor(code: string): TariffVersion | 'unknown' | 'not_in_force' {
    let found = this.tariffCache.get(code);
    if (found === undefined) {
      found = tariffInForce(this.versions, code, `${this.scope.period}-01`) ?? (this.versions.some((v) => v.code === code) ? 'not_in_force' : 'unknown');
      this.tariffCache.set(code, found);
    }
    return found;
  }

  /**
   * kWh billed earlier in the tier year (bills in force of earlier periods) of the customers on
   * annual tiers, in one query per tier year — a run loads them all before preparing bills;
   * otherwise each is looked up when its bill is prepared.
   */
  loadTierYearUsage(customers: readonly CustomerInput[]): void {
    const byStart = new Map<Period, string[]>();
    for (const c of customers) {
      const start = c.tariffCode ? this.tierYearOf(this.tariffFor(c.tariffCode)) : null;
      if (!start) continue;
      const list = byStart.get(start);
      if (list) list.push(c.id);
      else byStart.set(start, [c.id]);
    }
    for (const [start, ids] of byStart) {
      if (this.tierYearsLoaded.has(start)) continue;
      const map = this.cumulative.get(start) ?? new Map<string, Centi>();
      this.cumulative.set(start, map);
      const customers = sql`SELECT value FROM json_each(${JSON.stringify(ids)})`;
      for (const [customerId, kwh] of this.db.rows<[string, Centi]>(tierYearUsage(start, this.scope.period, customers))) map.set(customerId, kwh);
      for (const id of ids) if (!map.has(id)) map.set(id, 0);
    }
  }

  private usageBefore(start: Period, customer: CustomerInput): Centi {
    let used = this.cumulative.get(start)?.get(customer.id);
    if (used === undefined && !this.tierYearsLoaded.has(start)) {
      this.loadTierYearUsage([customer]);
      used = this.cumulative.get(start)?.get(customer.id);
    }
    return used ?? 0;
  }

  /** Computes one customer's bill, or says why it cannot be computed. */
  prepare(customer: CustomerInput, readings: ReadingInput[], book: { bookId: string; seq: number } | null): PreparedBill | PreparedProblem {
    const { period } = this.scope;
    if (!customer.tariffCode) return { customer, code: 'no_tariff', detail: '' };
    const tariff = this.tariffFor(customer.tariffCode);
    if (tariff === 'unknown' || tariff === 'not_in_force') return { customer, code: tariff === 'unknown' ? 'tariff_unknown' : 'tariff_not_in_force', detail: customer.tariffCode };

    let kwh = 0;
    let registers: Partial<Record<TouPeriod, Centi>> | undefined;
    for (const r of readings) {
      kwh += r.consumption;
      if (r.touConsumption) {
        registers ??= {};
        for (const [p, v] of Object.entries(r.touConsumption) as [TouPeriod, Centi][]) registers[p] = (registers[p] ?? 0) + v;
      }
    }
    const annualStart = this.tierYearOf(tariff);
    const cumulativeBefore = annualStart ? this.usageBefore(annualStart, customer) : undefined;
    const extras = this.extras.get(customer.id);
    const capacityKva = customer.capacityKva === null ? undefined : customer.capacityKva * 100;
    const input: Omit<BillInput, 'tariff'> = {
      period,
      consumption: kwh,
      ...(registers ? { registers } : {}),
      multiPerson: customer.multiPerson,
      ...(cumulativeBefore !== undefined ? { cumulativeBefore, customerStart: customer.openedDate } : {}),
      ...(capacityKva !== undefined ? { capacityKva } : {}),
      ...(extras?.maxDemandKw != null ? { maxDemandKw: extras.maxDemandKw } : {}),
      ...(extras?.kvarh != null ? { kvarh: extras.kvarh } : {}),
    };
    // The bill and its details follow from the tariff and this input alone: customers who share
    // them (residents on the same tariff with the same whole kWh: most of a station) share one
    // computation. The key is the whole input, so nothing it depends on can be left out.
    const key = this.options.share === false ? null : `${tariff.code}@${tariff.effectiveFrom}:${JSON.stringify(input)}`;
    let computed = key === null ? undefined : this.computed.get(key);
    if (!computed) {
      let bill: Bill;
      try {
        bill = computeBill({ tariff, ...input });
      } catch (error) {
        if (error instanceof BillingError) return { customer, code: 'cannot_compute', detail: storeMessage(error.coded) };
        throw error;
      }
      computed = { bill, details: billDetails(bill, tariff, input), json: {} };
      if (key !== null && this.computed.size < MAX_COMPUTED) this.computed.set(key, computed);
      this.distinct += 1;
    }
    const { bill, details, json } = computed;
    const flags = billFlags(
      { totalFen: bill.totalFen, kwh, lines: bill.lines, estimated: readings.some((r) => r.kind === 'estimated') },
      this.history.get(customer.id) ?? null,
      this.policy,
    );
    return { customer, tariff, readings, kwh, bill, details, flags, bookId: book?.bookId ?? null, bookSeq: book?.seq ?? null, json };
  }
}

/** What a bill's notice and review show besides its lines: the tier split, TOU kWh, power factor, two-part quantities. */
function billDetails(bill: Bill, tariff: TariffVersion, input: Omit<BillInput, 'tariff'>): BillDetails {
  return {
    tiers: bill.tiers
      ? {
          basis: bill.tiers.basis,
          bounds: [bill.tiers.bounds[0], bill.tiers.bounds[1]],
          household: bill.tiers.household,
          tierYearStart: bill.tiers.tierYearStart,
          months: bill.tiers.months,
          kwh: bill.tiers.kwh,
          cumulativeBefore: input.cumulativeBefore ?? null,
        }
      : null,
    touKwh: bill.touKwh as Record<string, number> | null,
    powerFactor: bill.powerFactor
      ? {
          value: bill.powerFactor.value,
          standard: bill.powerFactor.standard,
          percent: bill.powerFactor.percent,
          baseFen: bill.powerFactor.baseFen,
          kwh: bill.powerFactor.kwh,
          kvarh: bill.powerFactor.kvarh,
        }
      : null,
    capacityKva: tariff.capacityCharge !== undefined ? (input.capacityKva ?? null) : null,
    maxDemandKw: tariff.demandCharge !== undefined ? (input.maxDemandKw ?? null) : null,
  };
}

export function isProblem(result: PreparedBill | PreparedProblem): result is PreparedProblem {
  return 'code' in result;
}
