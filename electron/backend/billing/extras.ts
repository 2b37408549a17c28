import type { Centi } from '../../../shared/money';
import type { Unit } from '../audit/record';
import { uuidv7 } from '../db/ids';
import { sql } from '../db/sql';

// Reactive energy (无功电量) and maximum demand (最大需量) of a large customer for a period: the
// reading desk does not record them, the billing clerk enters them from the meter's registers.
// Facts: a new entry supersedes the earlier one; what it leaves out keeps the earlier value.

export interface MeterExtras {
  period: string;
  customerId: string;
  kvarh: Centi | null;
  maxDemandKw: Centi | null;
}

export function enterMeterExtras(unit: Unit, input: MeterExtras, options: { audit?: boolean } = {}): void {
  const before = unit.get<{ kvarh: number | null; max_demand_kw: number | null }>(sql`
    SELECT kvarh, max_demand_kw FROM billing_meter_extras WHERE period = ${input.period} AND customer_id = ${input.customerId}
    ORDER BY entered_at DESC, id DESC LIMIT 1`);
  const row = { kvarh: input.kvarh ?? before?.kvarh ?? null, maxDemandKw: input.maxDemandKw ?? before?.max_demand_kw ?? null };
  const id = uuidv7(unit.at);
  unit.run(sql`
    INSERT INTO billing_meter_extras (id, station_id, period, customer_id, kvarh, max_demand_kw, entered_by, entered_at)
    VALUES (${id}, ${unit.stationId()}, ${input.period}, ${input.customerId}, ${row.kvarh}, ${row.maxDemandKw}, ${unit.actor.staffId}, ${unit.at})`);
  const change = {
    entity: 'billing_meter_extra',
    entityId: id,
    op: 'insert' as const,
    payload: { id, period: input.period, customerId: input.customerId, ...row, enteredBy: unit.actor.staffId, enteredAt: unit.at },
  };
  if (options.audit === false) unit.outbox(change);
  else unit.record({ ...change, action: 'billing.extras', summary: { period: input.period, customerId: input.customerId, ...row } });
}
