import type { AuditRow } from '../../../shared/contract';
import { addDays, shanghaiMidnight } from '../../../shared/time';
import { sql } from '../db/sql';
import type { HandlerGroup } from '../handler';

interface AuditDbRow {
  id: number;
  at: number;
  staff_id: string | null;
  actor: string;
  staff_name: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  summary: string;
}

export const auditHandlers = {
  'audit.list': (input, { backend }) => {
    const where = [sql`1 = 1`];
    if (input.staffId) where.push(sql`a.staff_id = ${input.staffId}`);
    if (input.action) where.push(sql`a.action = ${input.action}`);
    if (input.fromDate) where.push(sql`a.at >= ${shanghaiMidnight(input.fromDate)}`);
    if (input.toDate) where.push(sql`a.at < ${shanghaiMidnight(addDays(input.toDate, 1))}`);
    if (input.beforeId !== undefined) where.push(sql`a.id < ${input.beforeId}`);
    const rows = backend.store.read.all<AuditDbRow>(sql`
      SELECT a.id, a.at, a.staff_id, a.actor, s.name AS staff_name, a.action, a.entity, a.entity_id, a.summary
      FROM audit_log a LEFT JOIN staff s ON s.id = a.staff_id
      WHERE ${sql.join(where, sql` AND `)}
      ORDER BY a.id DESC
      LIMIT ${input.limit + 1}`);
    const page = rows.slice(0, input.limit);
    return {
      rows: page.map(
        (r): AuditRow => ({
          id: r.id,
          at: r.at,
          staffId: r.staff_id,
          actor: r.actor,
          staffName: r.staff_name,
          action: r.action,
          entity: r.entity,
          entityId: r.entity_id,
          summary: JSON.parse(r.summary) as Record<string, unknown>,
        }),
      ),
      nextBeforeId: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
    };
  },
  'audit.actions': (_input, { backend }) => ({
    actions: backend.store.read.column<string>(sql`SELECT DISTINCT action FROM audit_log ORDER BY action`),
  }),
} satisfies HandlerGroup;
