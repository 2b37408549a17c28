// Ready-made customers for tests and demo steps of every desk: a valid resident with one meter,
// filed through the real module (search keys, audit, outbox and all).
import type { MeterFields } from '../../../shared/customers/rules';
import { SYSTEM_ACTOR, type Actor } from '../audit/record';
import type { Backend } from '../context';
import { createCustomer, type NewCustomer } from './customers';
import { pointsOf } from './rows';

let serial = 0;

/** A meter for `newCustomerInput`: 5 digits, ×1, start reading 0, unique number per call. */
export function newMeterInput(overrides: Partial<MeterFields> = {}): MeterFields {
  serial += 1;
  return { meterNo: `TM${String(serial).padStart(6, '0')}`, digits: 5, multiplier: 1, tou: false, installDate: '2026-01-05', startReading: 0, startRegisters: null, ...overrides };
}

/** A resident of 青山镇 东村 with one meter; any field may be overridden (points: [] for none). */
export function newCustomerInput(overrides: Partial<NewCustomer> = {}): NewCustomer {
  return {
    name: '张三',
    phone: '13812345678',
    phone2: '',
    idCard: '',
    township: '青山镇',
    village: '东村',
    addressDetail: '3组12号',
    transformerArea: '东村1号台区',
    customerClass: 'residential',
    tariffCode: null,
    householdSize: 3,
    multiPerson: false,
    capacityKva: null,
    openedDate: '2026-01-05',
    notes: '',
    points: [{ label: '', meter: newMeterInput() }],
    ...overrides,
  };
}

/** Files a customer and returns its ids: customer, account number, first point and meter. */
export function fileCustomer(backend: Backend, overrides: Partial<NewCustomer> = {}, actor: Actor = SYSTEM_ACTOR) {
  const { id, accountNo } = backend.write(actor, (unit) => createCustomer(unit, newCustomerInput(overrides)));
  const points = pointsOf(backend.store.read, id);
  return { id, accountNo, pointId: points[0]?.id ?? null, meterId: points[0]?.meters[0]?.id ?? null };
}
