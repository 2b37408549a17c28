// The customer's timeline (变更记录): every audited change to the file, its metering points and
// its meters, newest first, with who made it. Imported files begin with the import that made them.
import type { TimelineEvent } from '../../../shared/contract';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { customerRow } from './rows';

interface AuditDbRow {
  id: number;
  at: number;
  actor: string;
  staff_name: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  summary: string;
}

export function customerHistory(db: ReadableDB, customerId: string): TimelineEvent[] {
  const customer = customerRow(db, customerId);
  const meterIds = db.column<string>(sql`
    SELECT m.id FROM meters m JOIN metering_points p ON p.id = m.point_id WHERE p.customer_id = ${customerId}`);
  const rows = db.all<AuditDbRow>(sql`
    SELECT a.id, a.at, a.actor, s.name AS staff_name, a.action, a.entity, a.entity_id, a.summary
    FROM audit_log a LEFT JOIN staff s ON s.id = a.staff_id
    WHERE (a.entity = 'customer' AND a.entity_id = ${customerId})
       OR (a.entity = 'meter' AND a.entity_id IN ${sql.list(meterIds)})
       ${customer.import_batch ? sql`OR (a.entity = 'customers_import' AND a.entity_id = ${customer.import_batch})` : sql``}
    ORDER BY a.id DESC`);
  const events: TimelineEvent[] = rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor,
    staffName: r.staff_name,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    summary: JSON.parse(r.summary) as Record<string, unknown>,
  }));
  // Files made in bulk (the demo station) have no audit row of their own: their timeline still
  // begins with the filing, read from the customer row.
  if (!events.some((e) => e.action === 'customer.create' || e.action === 'customers.import')) {
    const by = customer.created_by ? db.get<{ staff_no: string; name: string }>(sql`SELECT staff_no, name FROM staff WHERE id = ${customer.created_by}`) : undefined;
    events.push({
      id: 0,
      at: customer.created_at,
      actor: by ? `${by.staff_no} ${by.name}` : 'system',
      staffName: by?.name ?? null,
      action: 'customer.create',
      entity: 'customer',
      entityId: customer.id,
      summary: { accountNo: customer.account_no, name: customer.name },
    });
  }
  return events;
}
