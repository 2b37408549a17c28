// Why a customer cannot be billed reaches the billing clerk in the app's language: the run stores
// the rule's reason as a coded message, and the exceptions list renders it for each caller.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from '../db/sql';
import type { BillingRunResult } from './run';
import { makeBillingStation, type BillingTestStation } from './testing/station';

let s: BillingTestStation;
beforeEach(async () => {
  s = await makeBillingStation();
});
afterEach(() => s.close());

const kwh = (n: number) => n * 100;
const HAN = /\p{Script=Han}/u;

describe('a factory without its reactive (kvarh) reading', () => {
  it('is listed with the reason in Chinese for a Chinese caller and in English for an English one', async () => {
    const book = s.fixture.book('B01', '工业一本');
    const factory = s.fixture.customer({ name: '青山水泥厂', customerClass: 'large_industry', tariffCode: 'LI-10KV', bookId: book, seq: 1, capacityKva: 400, tou: true, multiplier: 100 });
    s.fixture.openPeriod('2026-09');
    s.fixture.read('2026-09', factory.pointId, { kwh: kwh(50000), tou: { peak: kwh(15000), valley: kwh(20000) } });
    const job = await s.job(s.clerk.call('billing.run', { period: '2026-09' }));
    expect((job.result as BillingRunResult).problems).toBe(1);

    // Stored as a coded message, not a sentence in one language.
    const stored = s.backend.store.read.value<string>(sql`SELECT detail FROM billing_run_problems`);
    expect(JSON.parse(stored ?? '')).toEqual({ key: 'billing.reason.missing', params: { what: { key: 'billing.quantity.kvarh', params: { standard: '0.90' } } } });

    const zh = await s.clerk.call('billing.exceptions', { period: '2026-09' });
    expect(zh.problems.map((p) => [p.customerName, p.code, p.detail])).toEqual([['青山水泥厂', 'cannot_compute', '缺少功率因数考核（标准 0.90）所需的无功电量（kvarh）']]);

    const english = s.client('en');
    english.token = s.clerk.token;
    const en = await english.call('billing.exceptions', { period: '2026-09' });
    const detail = en.problems[0]?.detail ?? '';
    expect(detail).toBe('reactive consumption (kvarh) for the power-factor assessment (standard 0.90) is missing');
    expect(HAN.test(detail)).toBe(false);
  });
});
