import type { Backend } from '../context';
import { uuidv7 } from '../db/ids';
import { sql } from '../db/sql';
import { AppError } from '../errors';
import { insertStaff, prepareStaff } from '../staff/staff';
import { stationKey } from '../sync/keys';

export interface StationSetup {
  stationCode: string;
  stationName: string;
  adminNo: string;
  adminName: string;
  password: string;
}

/** First-run setup: the station and its first administrator, in one transaction. */
export async function setupStation(backend: Backend, input: StationSetup): Promise<{ stationId: string; adminId: string }> {
  if (backend.station()) throw new AppError('conflict', 'error.stationExists');
  const admin = await prepareStaff({
    staffNo: input.adminNo,
    name: input.adminName,
    roles: ['admin'],
    password: input.password,
    mustChangePassword: false,
  });
  const stationId = uuidv7();
  const code = input.stationCode.toUpperCase();
  backend.write({ staffId: null, label: `${input.adminNo} ${input.adminName}` }, (unit) => {
    if (unit.value(sql`SELECT id FROM station`)) throw new AppError('conflict', 'error.stationExists');
    unit.run(sql`INSERT INTO station (id, code, name, created_at) VALUES (${stationId}, ${code}, ${input.stationName}, ${unit.at})`);
    unit.record({
      action: 'station.setup',
      entity: 'station',
      entityId: stationId,
      op: 'insert',
      summary: { code, name: input.stationName },
      payload: { id: stationId, code, name: input.stationName },
    });
    insertStaff(unit, admin);
  });
  // The station's sync key pair is made now (docs/sync.md "Keys"); a station set up before sync
  // existed gets its key on first use.
  await stationKey(backend, { staffId: null, label: 'system' });
  return { stationId, adminId: admin.id };
}
