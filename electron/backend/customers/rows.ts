// Reading customer files out of the database into the shapes the contract names.
import type { CustomerDetail, CustomerSummary, CustomerView, MeterView, PointView } from '../../../shared/contract';
import type { CustomerClass } from '../../../shared/customers/classes';
import { maskIdCard, type CustomerStatus } from '../../../shared/customers/rules';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { notFound } from '../errors';

export interface CustomerRow {
  id: string;
  station_id: string;
  account_no: string;
  name: string;
  name_initials: string;
  phone: string;
  phone2: string;
  id_card: string;
  township: string;
  village: string;
  address_detail: string;
  transformer_area: string;
  customer_class: CustomerClass;
  tariff_code: string | null;
  household_size: number | null;
  multi_person: number;
  capacity_kva: number | null;
  status: CustomerStatus;
  status_date: string;
  opened_date: string;
  notes: string;
  created_at: number;
  updated_at: number;
  created_by: string | null;
  import_batch: string | null;
}

export interface MeterRow {
  id: string;
  point_id: string;
  meter_no: string;
  digits: number;
  multiplier: number;
  tou: number;
  install_date: string;
  start_reading: number;
  start_registers: string | null;
  removed_date: string | null;
  final_reading: number | null;
  final_registers: string | null;
  removed_reason: string;
  replaced_by: string | null;
  created_at: number;
}

/** 乡镇 村 详细地址 as one line. */
export function joinAddress(township: string, village: string, detail: string): string {
  return [township, village, detail].filter(Boolean).join(' ');
}

/** Whether the caller may see full ID numbers (customers.idcard); otherwise they are masked. */
export interface Viewer {
  seesIdCard: boolean;
}

export function customerView(row: CustomerRow, viewer: Viewer): CustomerView {
  const masked = !viewer.seesIdCard && row.id_card !== '';
  return {
    id: row.id,
    accountNo: row.account_no,
    name: row.name,
    nameInitials: row.name_initials,
    phone: row.phone,
    phone2: row.phone2,
    idCard: masked ? maskIdCard(row.id_card) : row.id_card,
    idCardMasked: masked,
    township: row.township,
    village: row.village,
    addressDetail: row.address_detail,
    address: joinAddress(row.township, row.village, row.address_detail),
    transformerArea: row.transformer_area,
    customerClass: row.customer_class,
    tariffCode: row.tariff_code,
    householdSize: row.household_size,
    multiPerson: row.multi_person === 1,
    capacityKva: row.capacity_kva,
    status: row.status,
    statusDate: row.status_date,
    openedDate: row.opened_date,
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const parseRegisters = (text: string | null): Record<string, number> | null => (text ? (JSON.parse(text) as Record<string, number>) : null);

export function meterView(row: MeterRow, replaces: string | null): MeterView {
  return {
    id: row.id,
    pointId: row.point_id,
    meterNo: row.meter_no,
    digits: row.digits,
    multiplier: row.multiplier,
    tou: row.tou === 1,
    installDate: row.install_date,
    startReading: row.start_reading,
    startRegisters: parseRegisters(row.start_registers),
    removedDate: row.removed_date,
    finalReading: row.final_reading,
    finalRegisters: parseRegisters(row.final_registers),
    removedReason: row.removed_reason,
    replacedBy: row.replaced_by,
    replaces,
  };
}

export function customerRow(db: ReadableDB, customerId: string): CustomerRow {
  const row = db.get<CustomerRow>(sql`SELECT * FROM customers WHERE id = ${customerId}`);
  if (!row) throw notFound(`customer ${customerId}`);
  return row;
}

export function customerIdByAccount(db: ReadableDB, accountNo: string): string | undefined {
  return db.value<string>(sql`SELECT id FROM customers WHERE account_no = ${accountNo.trim().toUpperCase()}`);
}

export function customerIdOfMeter(db: ReadableDB, meterId: string): string {
  const id = db.value<string>(sql`SELECT p.customer_id FROM meters m JOIN metering_points p ON p.id = m.point_id WHERE m.id = ${meterId}`);
  if (!id) throw notFound(`meter ${meterId}`);
  return id;
}

export function meterRow(db: ReadableDB, meterId: string): MeterRow {
  const row = db.get<MeterRow>(sql`SELECT * FROM meters WHERE id = ${meterId}`);
  if (!row) throw notFound(`meter ${meterId}`);
  return row;
}

/** The customer's metering points with their meters (installed first, then older ones). */
export function pointsOf(db: ReadableDB, customerId: string): PointView[] {
  const points = db.all<{ id: string; label: string; active: number }>(sql`
    SELECT id, label, active FROM metering_points WHERE customer_id = ${customerId} ORDER BY created_at, id`);
  if (points.length === 0) return [];
  const meters = db.all<MeterRow>(sql`
    SELECT m.* FROM meters m WHERE m.point_id IN ${sql.list(points.map((p) => p.id))}
    ORDER BY m.removed_date IS NOT NULL, m.install_date DESC, m.created_at DESC`);
  const replacedBy = new Map(meters.filter((m) => m.replaced_by).map((m) => [m.replaced_by as string, m.id]));
  return points.map((p) => ({
    id: p.id,
    label: p.label,
    active: p.active === 1,
    meters: meters.filter((m) => m.point_id === p.id).map((m) => meterView(m, replacedBy.get(m.id) ?? null)),
  }));
}

export function customerDetail(db: ReadableDB, customerId: string, viewer: Viewer): CustomerDetail {
  return { customer: customerView(customerRow(db, customerId), viewer), points: pointsOf(db, customerId) };
}

/** List and search lines for a set of customers, in the order of `ids`. */
export function summariesOf(db: ReadableDB, ids: readonly string[]): CustomerSummary[] {
  if (ids.length === 0) return [];
  const rows = db.all<CustomerRow>(sql`
    SELECT id, account_no, name, phone, township, village, address_detail, transformer_area, customer_class, status
    FROM customers WHERE id IN ${sql.list(ids)}`);
  const meters = db.all<{ customer_id: string; meter_no: string }>(sql`
    SELECT p.customer_id, m.meter_no FROM metering_points p JOIN meters m ON m.point_id = p.id AND m.removed_date IS NULL
    WHERE p.customer_id IN ${sql.list(ids)} ORDER BY m.meter_no`);
  const meterNos = new Map<string, string[]>();
  for (const m of meters) meterNos.set(m.customer_id, [...(meterNos.get(m.customer_id) ?? []), m.meter_no]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        id: r.id,
        accountNo: r.account_no,
        name: r.name,
        phone: r.phone,
        address: joinAddress(r.township, r.village, r.address_detail),
        transformerArea: r.transformer_area,
        customerClass: r.customer_class,
        status: r.status,
        meterNos: meterNos.get(r.id) ?? [],
      },
    ];
  });
}
