import { hasPermission } from '../../../shared/permissions';
import { AppError } from '../errors';
import type { Call, HandlerGroup } from '../handler';
import { changeStatus, createCustomer, updateCustomer } from './customers';
import { customerHistory } from './history';
import { filterOptions, listCustomers } from './list';
import { installMeter, removeMeter, replaceMeter } from './meters';
import { customerDetail, customerIdByAccount, customerIdOfMeter, type Viewer } from './rows';
import { searchCustomers } from './search';

/** The CLI's local operator and roles with customers.idcard see full ID numbers. */
function viewer(call: Call): Viewer {
  return { seesIdCard: call.staff ? hasPermission(call.staff.roles, 'customers.idcard') : true };
}

export const customersHandlers = {
  'customers.search': (input, { backend }) => ({
    hits: searchCustomers(backend.store.read, input.query, { limit: input.limit, stationCode: backend.station()?.code ?? '' }),
  }),
  'customers.list': (input, { backend }) => {
    const { offset, limit, ...filter } = input;
    return listCustomers(backend.store.read, filter, offset, limit);
  },
  'customers.filterOptions': (_input, { backend }) => filterOptions(backend.store.read),
  'customers.get': (input, call) => {
    const db = call.backend.store.read;
    const id = input.customerId ?? (input.accountNo ? customerIdByAccount(db, input.accountNo) : undefined);
    if (!id) {
      if (input.accountNo) throw new AppError('not_found', 'customers.notFound', { accountNo: input.accountNo });
      throw new AppError('validation', 'customers.err.noAccount');
    }
    return customerDetail(db, id, viewer(call));
  },
  'customers.history': (input, { backend }) => ({ events: customerHistory(backend.store.read, input.customerId) }),
  'customers.create': (input, call) => {
    const { id } = call.backend.write(call.actor, (unit) => createCustomer(unit, input));
    return customerDetail(call.backend.store.read, id, viewer(call));
  },
  'customers.update': (input, call) => {
    const { customerId, expectedUpdatedAt, ...fields } = input;
    call.backend.write(call.actor, (unit) => updateCustomer(unit, customerId, fields, expectedUpdatedAt));
    return customerDetail(call.backend.store.read, customerId, viewer(call));
  },
  'customers.suspend': (input, call) => {
    call.backend.write(call.actor, (unit) => changeStatus(unit, input.customerId, 'suspend', input.date, input.reason));
    return customerDetail(call.backend.store.read, input.customerId, viewer(call));
  },
  'customers.resume': (input, call) => {
    call.backend.write(call.actor, (unit) => changeStatus(unit, input.customerId, 'resume', input.date, input.reason));
    return customerDetail(call.backend.store.read, input.customerId, viewer(call));
  },
  'customers.close': (input, call) => {
    call.backend.write(call.actor, (unit) => changeStatus(unit, input.customerId, 'close', input.date, input.reason));
    return customerDetail(call.backend.store.read, input.customerId, viewer(call));
  },
  'meters.install': (input, call) => {
    call.backend.write(call.actor, (unit) => installMeter(unit, input.customerId, input.label, input.meter));
    return customerDetail(call.backend.store.read, input.customerId, viewer(call));
  },
  'meters.replace': (input, call) => {
    call.backend.write(call.actor, (unit) => replaceMeter(unit, input));
    return customerDetail(call.backend.store.read, customerIdOfMeter(call.backend.store.read, input.meterId), viewer(call));
  },
  'meters.remove': (input, call) => {
    call.backend.write(call.actor, (unit) => removeMeter(unit, input));
    return customerDetail(call.backend.store.read, customerIdOfMeter(call.backend.store.read, input.meterId), viewer(call));
  },
} satisfies HandlerGroup;
