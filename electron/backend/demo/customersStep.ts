import type { CustomerClass } from '../../../shared/customers/classes';
import { idCardCheckChar, type MeterFields } from '../../../shared/customers/rules';
import { addDays, dateFromDayNumber, dayNumber } from '../../../shared/time';
import { checkRecord, fileCustomers, NameKeys, withBulkPageCache } from '../customers/bulk';
import type { NewCustomer } from '../customers/customers';
import { AGRICULTURE, COMMERCIAL, DEMO_TARIFF_CODES, GIVEN_CHARS, INDUSTRY, SURNAMES, TOWNSHIPS } from './places';
import type { Random } from './random';
import { Pace, sliceWrite } from '../jobs/pace';
import { between, DEMO_PACE } from './pace';
import type { DemoStep } from './steps';

/** Customers filed in the first transaction; the next are sized by pace (jobs/pace.ts) to the demo's ~40 ms (demo/pace.ts). */
const FIRST_CHUNK = 50;

function personName(r: Random): string {
  const surname = r.weighted(SURNAMES);
  const given = r.chance(0.7) ? r.pick(GIVEN_CHARS) + r.pick(GIVEN_CHARS) : r.pick(GIVEN_CHARS);
  return surname + given;
}

function mobile(r: Random): string {
  return `1${r.pick(['3', '5', '7', '8', '9'])}${r.digits(9)}`;
}

/** A valid 18-character ID number (region 33xxxx, a plausible birth date, its check digit). */
function idCard(r: Random): string {
  const region = `33${r.pick(['01', '02', '03', '06', '10', '11'])}${String(r.int(1, 30)).padStart(2, '0')}`;
  const birth = dateFromDayNumber(dayNumber('1940-01-01') + r.int(0, 365 * 62)).replace(/-/g, '');
  const first17 = `${region}${birth}${r.digits(3)}`;
  return first17 + idCardCheckChar(first17);
}

interface Area {
  township: string;
  village: string;
  transformerArea: string;
}

function areasOf(): Area[] {
  const out: Area[] = [];
  for (const t of TOWNSHIPS) {
    t.villages.forEach((village, vi) => {
      const count = 1 + ((vi * 7 + t.name.length) % 3); // 1–3 transformers per village
      for (let n = 1; n <= count; n++) out.push({ township: t.name, village, transformerArea: `${village}${n}号台区` });
    });
  }
  return out;
}

function meter(r: Random, no: string, installDate: string, customerClass: CustomerClass): MeterFields {
  const tou = customerClass === 'large_industry' || (customerClass === 'commercial' && r.chance(0.4)) || (customerClass === 'residential' && r.chance(0.08));
  const multiplier = customerClass === 'large_industry' ? r.pick([40, 60, 80, 100, 200]) : customerClass === 'commercial' && r.chance(0.3) ? r.pick([5, 10, 20, 30]) : 1;
  const digits = multiplier > 1 ? 6 : r.pick([5, 6, 6]);
  const start = r.int(0, 20_000) * 100;
  const startRegisters = tou ? { peak: Math.round(start * 0.3), flat: Math.round(start * 0.45), valley: start - Math.round(start * 0.3) - Math.round(start * 0.45) } : null;
  return { meterNo: no, digits, multiplier, tou, installDate, startReading: start, startRegisters };
}

/** One demo customer: a household most of the time, else a shop, a workshop or a pump station. */
export function demoCustomer(r: Random, serial: number, areas: Area[], latestOpen: string): NewCustomer {
  const area = r.pick(areas);
  const customerClass = r.weighted<CustomerClass>([
    ['residential', 85],
    ['commercial', 8],
    ['agricultural', 6],
    ['large_industry', 1],
  ]);
  const span = dayNumber(latestOpen) - dayNumber('2005-01-01');
  const openedDate = dateFromDayNumber(dayNumber('2005-01-01') + r.int(0, span));
  const resident = customerClass === 'residential';
  const person = personName(r);
  const name = resident
    ? person
    : `${area.village.replace(/村$/, '')}${r.pick(customerClass === 'commercial' ? COMMERCIAL : customerClass === 'large_industry' ? INDUSTRY : AGRICULTURE)}`;
  const household = resident ? r.weighted([[1, 8], [2, 20], [3, 25], [4, 25], [5, 14], [6, 6], [7, 2]] as const) : null;
  const points = [{ label: resident ? '' : customerClass === 'agricultural' ? '动力' : '照明', meter: meter(r, `DB${String(serial).padStart(8, '0')}`, openedDate, customerClass) }];
  if (customerClass === 'large_industry') points.push({ label: '动力', meter: meter(r, `DB${String(serial).padStart(8, '0')}B`, openedDate, customerClass) });
  return {
    name,
    phone: r.chance(0.93) ? mobile(r) : `0571-${r.int(6, 8)}${r.digits(7)}`,
    phone2: r.chance(0.15) ? mobile(r) : '',
    idCard: resident && r.chance(0.75) ? idCard(r) : '',
    township: area.township,
    village: area.village,
    addressDetail: `${r.int(1, 12)}组${r.int(1, 120)}号`,
    transformerArea: area.transformerArea,
    customerClass,
    tariffCode: DEMO_TARIFF_CODES[customerClass],
    householdSize: household,
    multiPerson: resident && household !== null && household >= 5,
    capacityKva: customerClass === 'large_industry' ? r.pick([315, 400, 500, 630, 800, 1000, 1250]) : customerClass === 'commercial' && r.chance(0.5) ? r.pick([20, 30, 50, 80, 100]) : customerClass === 'agricultural' ? r.pick([10, 15, 30, 50]) : null,
    openedDate,
    notes: resident ? '' : `联系人：${person}`,
    points,
  };
}

/** The station's customers with their meters (files go to head office through the outbox). */
export const customersStep: DemoStep = {
  name: 'customers',
  weight: 30,
  async run(ctx) {
    const areas = areasOf();
    const total = ctx.options.customers;
    // Everyone was connected before the history the later steps make begins.
    const latestOpen = addDays(`${ctx.options.asOf.slice(0, 7)}-01`, -31 * (ctx.options.months + 1));
    const names = new NameKeys();
    const pace = new Pace(FIRST_CHUNK, DEMO_PACE.targetMs, 10, 5000);
    for (let done = 0; done < total; ) {
      const size = Math.min(pace.size, total - done);
      const batch = Array.from({ length: size }, (_, i) => demoCustomer(ctx.random, done + i + 1, areas, latestOpen));
      const records = batch.map(checkRecord);
      pace.run(size, () => withBulkPageCache(ctx.backend, () => sliceWrite(ctx.backend.store, DEMO_PACE, () => ctx.backend.write(ctx.actor, (unit) => fileCustomers(unit, records, { importBatch: null, names })))));
      done += size;
      await ctx.progress(done, total);
      await between(ctx.backend.store);
    }
  },
};
