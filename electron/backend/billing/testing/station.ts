// A test station for billing: set up, the sample head-office tariff file loaded, a billing clerk
// and a station head logged in, and the customers/readings fixture. Used by the billing tests.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { JobState } from '../../../../shared/contract';
import { sql } from '../../db/sql';
import { makeTestStation, type TestClient, type TestStation } from '../../testing';
import { StationFixture } from './fixture';

export const SAMPLE_TARIFFS = fileURLToPath(new URL('../../../../docs/tariffs/sample-catalogue.json', import.meta.url));

export interface BillingTestStation extends TestStation {
  admin: TestClient;
  clerk: TestClient;
  head: TestClient;
  fixture: StationFixture;
  /** Starts a job through `start` and waits for it. */
  job(start: Promise<{ jobId: string }>): Promise<JobState>;
}

export async function makeBillingStation(): Promise<BillingTestStation> {
  const station = makeTestStation();
  const admin = await station.setUp();
  await admin.call('tariffs.import', { text: readFileSync(SAMPLE_TARIFFS, 'utf8'), fileName: 'sample-catalogue.json' });
  const clerk = await station.staffClient('B001', ['billing_clerk'], '钱核算');
  const head = await station.staffClient('H001', ['station_head'], '李所长');
  const adminId = station.backend.store.read.value<string>(sql`SELECT id FROM staff WHERE staff_no = 'A001'`);
  if (!adminId) throw new Error('no admin');
  const fixture = new StationFixture(station.backend, adminId);
  return {
    ...station,
    admin,
    clerk,
    head,
    fixture,
    job: async (start) => station.backend.jobs.finished((await start).jobId),
  };
}
