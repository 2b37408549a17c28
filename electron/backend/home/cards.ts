import type { HomeCard } from '../../../shared/contract/home';
import { hasPermission, type Permission, type Role } from '../../../shared/permissions';
import { addDays, addMonths, periodOf, shanghaiDate, type DateString } from '../../../shared/time';
import { periodSummary } from '../appraisal/appraisals';
import { listCorrections } from '../billing/corrections';
import { billingStatus } from '../billing/queries';
import { dayView, listClosings } from '../collection/closing';
import { listReversals } from '../collection/reversals';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import type { Call } from '../handler';
import { periodOverview } from '../readings/overview';
import { listPeriods } from '../readings/periods';
import { listNotices } from '../sync/reference';
import { syncStatus } from '../sync/station';

// The home page's cards (首页). Each card says which roles see it (checked here, in the back end:
// the UI only draws what comes back) and fills itself from its desk's own queries. To add a
// card: push a HomeCardDef onto HOME_CARDS (in its desk's module or here) and put its words in
// the dictionary (home.ts); the page shows it with no change to the UI.

export interface HomeCardDef {
  id: string;
  /** Order on the page: smaller first. */
  order: number;
  /** Whether a person with these roles sees the card. */
  shows(roles: readonly Role[]): boolean;
  /** The card, or null when there is nothing to show. */
  load(ctx: HomeContext): HomeCard | null;
}

export interface HomeContext {
  call: Call;
  db: ReadableDB;
  today: DateString;
  /** The caller's staff id (null for the CLI's operator). */
  staffId: string | null;
  roles: readonly Role[];
}

const can = (roles: readonly Role[], permission: Permission) => hasPermission(roles, permission);

/** The reading period people are working in: the newest open one, else the newest. */
function workingPeriod(db: ReadableDB) {
  const periods = listPeriods(db);
  return periods.find((p) => p.status === 'open') ?? periods[0] ?? null;
}

export const HOME_CARDS: HomeCardDef[] = [
  {
    // The clerk's takings today (今日收费): what they took, by cash, and whether the day is closed.
    id: 'takings',
    order: 10,
    shows: (roles) => can(roles, 'collection.pay'),
    load: ({ db, staffId, call, today }) => {
      if (!staffId || !call.staff) return null;
      const day = dayView(db, { id: staffId, staffNo: call.staff.staffNo, name: call.staff.name }, today, today);
      return {
        id: 'takings',
        title: 'home.takings.title',
        link: '/collection/day',
        figures: [
          { label: 'home.takings.count', kind: 'count', value: day.paymentCount },
          { label: 'home.takings.net', kind: 'money', value: day.netFen },
          { label: 'home.takings.cash', kind: 'money', value: day.cashTakingsFen },
          { label: 'home.takings.reversals', kind: 'count', value: day.reversalCount },
          {
            label: 'home.takings.closing',
            kind: 'status',
            value: day.closing ? `closing.status.${day.closing.status}` : 'home.takings.open',
            link: '/collection/day',
          },
          { label: 'home.takings.unclosed', kind: 'count', value: day.unclosedDays.length, attention: true, link: '/collection/day' },
        ],
        items: [],
      };
    },
  },
  {
    // Approvals waiting for the station head (待审批): reversals, closing differences, bill
    // corrections, appraisal sheets not yet signed. Penalty waivers are approved on the spot at
    // the counter (the head's password), so none wait here.
    id: 'approvals',
    order: 20,
    shows: (roles) => can(roles, 'collection.approve') || can(roles, 'billing.approve') || can(roles, 'appraisal.manage'),
    load: ({ db, roles, today }) => {
      const figures: HomeCard['figures'] = [];
      if (can(roles, 'collection.approve')) {
        figures.push({ label: 'home.approvals.reversals', kind: 'count', value: listReversals(db, 'pending', 500).length, link: '/collection/reversals', attention: true });
        const awaiting = listClosings(db, sql`d.difference_fen <> 0 AND NOT EXISTS (SELECT 1 FROM closing_signoffs so WHERE so.closing_id = d.id)`, 500);
        figures.push({ label: 'home.approvals.closings', kind: 'count', value: awaiting.length, link: '/collection/closings', attention: true });
      }
      if (can(roles, 'billing.approve')) {
        figures.push({ label: 'home.approvals.corrections', kind: 'count', value: listCorrections(db, { status: 'pending' }).length, link: '/billing/corrections', attention: true });
      }
      if (can(roles, 'appraisal.manage')) {
        // Last month's sheets are the ones to sign this month.
        const period = addMonths(periodOf(today), -1);
        const summary = periodSummary(db, period);
        const unsigned = summary.rows.filter((r) => r.status !== 'signed').length;
        figures.push({ label: 'home.approvals.appraisals', kind: 'count', value: unsigned, link: '/appraisal', attention: true });
        figures.push({ label: 'home.approvals.disputed', kind: 'count', value: summary.totals.disputed, link: '/appraisal', attention: true });
      }
      return { id: 'approvals', title: 'home.approvals.title', link: '/collection/reversals', figures, items: [] };
    },
  },
  {
    // The meter reader's books due this week (本周抄表) and how far each has got.
    id: 'books',
    order: 30,
    shows: (roles) => roles.includes('meter_reader'),
    load: ({ db, staffId, today }) => {
      const period = workingPeriod(db);
      if (!period || !staffId) {
        return { id: 'books', title: 'home.books.title', link: '/readings', figures: [], items: [], empty: 'home.books.noPeriod' };
      }
      const overview = periodOverview(db, period.period, today);
      const weekEnd = addDays(today, 6);
      const mine = overview.books.filter((b) => b.readerId === staffId);
      const due = mine.filter((b) => !b.complete && b.scheduledDate <= weekEnd);
      return {
        id: 'books',
        title: 'home.books.title',
        titleParams: { period: period.period },
        link: '/readings',
        figures: [
          { label: 'home.books.mine', kind: 'count', value: mine.length },
          { label: 'home.books.dueThisWeek', kind: 'count', value: due.length, attention: true },
          { label: 'home.books.entered', kind: 'text', value: `${mine.reduce((n, b) => n + b.entered, 0)} / ${mine.reduce((n, b) => n + b.due, 0)}` },
        ],
        items: due.map((b) => ({
          text: `${b.bookNo} ${b.name} · ${b.scheduledDate}`,
          done: b.entered,
          total: b.due,
          ...(b.late ? { note: 'home.books.late' } : b.scheduledDate === today ? { note: 'home.books.today' } : {}),
          link: `/readings/entry/${period.period}/${b.bookId}`,
        })),
        empty: 'home.books.none',
      };
    },
  },
  {
    // The billing clerk's period (本期核算): readings ready, bills drafted and issued, problems.
    id: 'billing',
    order: 40,
    shows: (roles) => can(roles, 'billing.run'),
    load: ({ db }) => {
      const period = workingPeriod(db);
      if (!period) return { id: 'billing', title: 'home.billing.title', link: '/billing', figures: [], items: [], empty: 'home.books.noPeriod' };
      const status = billingStatus(db, period.period);
      const c = status.totals;
      return {
        id: 'billing',
        title: 'home.billing.title',
        titleParams: { period: period.period },
        link: `/billing`,
        figures: [
          { label: 'home.billing.readingPeriod', kind: 'status', value: `home.billing.period.${period.status}` },
          { label: 'home.billing.waiting', kind: 'count', value: c.waiting },
          { label: 'home.billing.unbilled', kind: 'count', value: c.unbilled, attention: true },
          { label: 'home.billing.draft', kind: 'count', value: c.draft, attention: true },
          { label: 'home.billing.problems', kind: 'count', value: c.problems, attention: true },
          { label: 'home.billing.issued', kind: 'count', value: c.issued },
          { label: 'home.billing.issuedFen', kind: 'money', value: c.issuedFen },
          { label: 'home.billing.lastRun', kind: 'time', value: status.lastRunAt },
        ],
        items: [],
      };
    },
  },
  {
    // Sync with head office (数据上报): what waits to go, the last export and acknowledgement.
    id: 'sync',
    order: 50,
    shows: (roles) => can(roles, 'sync.read'),
    load: ({ call }) => {
      const s = syncStatus(call.backend);
      return {
        id: 'sync',
        title: 'home.sync.title',
        link: '/sync',
        figures: [
          { label: 'home.sync.waiting', kind: 'count', value: s.waitingTotal, attention: true },
          { label: 'home.sync.lastExport', kind: 'time', value: s.lastExport?.at ?? null },
          { label: 'home.sync.lastAck', kind: 'time', value: s.ackedAt },
          { label: 'home.sync.reference', kind: 'text', value: s.referenceVersion === null ? null : String(s.referenceVersion) },
        ],
        items: [],
      };
    },
  },
  {
    // Head office's notices (总部通知), on everyone's home page until the station head marks them
    // read on 数据上报 (docs/sync.md "Reference data down"). No card when there is none.
    id: 'notices',
    order: 5,
    shows: () => true,
    load: ({ db, today, roles }) => {
      const notices = listNotices(db, today);
      if (!notices.length) return null;
      return {
        id: 'notices',
        title: 'sync.notices',
        link: can(roles, 'sync.read') ? '/sync' : '/',
        figures: [],
        items: notices.map((n) => ({ text: n.title, done: 0, total: 0, ...(n.until ? { note: 'sync.noticeUntil', noteParams: { until: n.until } } : {}) })),
      };
    },
  },
];

/** The caller's cards, in order. */
export function homeSummary(call: Call): { today: DateString; cards: HomeCard[] } {
  const today = shanghaiDate(call.backend.now());
  const roles = call.staff?.roles ?? [];
  const ctx: HomeContext = { call, db: call.backend.store.read, today, staffId: call.staff?.id ?? null, roles };
  const cards = [...HOME_CARDS]
    .sort((a, b) => a.order - b.order)
    .filter((card) => card.shows(roles))
    .flatMap((card) => card.load(ctx) ?? []);
  return { today, cards };
}
