import { hasPermission } from '../../../shared/permissions';
import { AppError, notFound } from '../errors';
import type { Call, HandlerGroup } from '../handler';
import { changeStatus, createCustomer, updateCustomer } from './customers';
import { customerHistory } from './history';
import { filterOptions, listCustomers } from './list';
import { installMeter, removeMeter, replaceMeter } from './meters';
import { customerDetail, customerIdByAccount, customerIdOfMeter, type Viewer } from './rows';
import { searchCustomers } from './search';
import { exportCustomers, previewImport, templateWorkbook } from './spreadsheet';
import { commitImportJob } from './importJob';
import { buildDemoJob, demoOptions } from '../demo/build';

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

  'customers.importPreview': (input, call) => {
    const bytes = Buffer.from(input.base64, 'base64');
    const job = call.backend.jobs.start('customers.importPreview', call.staff?.id ?? null, (progress) =>
      previewImport(call.backend, { staffId: call.actor.staffId }, input.fileName, bytes, call.locale, progress),
    call.locale);
    return { jobId: job.id };
  },
  'customers.importCommit': (input, call) => {
    const job = call.backend.jobs.start('customers.importCommit', call.staff?.id ?? null, (progress) => commitImportJob(call.backend, call.actor, input.importId, progress));
    return { jobId: job.id };
  },
  'customers.export': (input, call) => {
    const job = call.backend.jobs.start('customers.export', call.staff?.id ?? null, async (progress) => {
      const result = await exportCustomers(call.backend.store.read, input, progress, viewer(call));
      call.backend.write(call.actor, (unit) =>
        unit.audit({ action: 'customers.export', entity: 'customers_export', entityId: null, summary: { customers: result.count, filter: input } }),
      );
      return result;
    });
    return { jobId: job.id };
  },
  'customers.template': async () => ({ fileName: '客户导入模板.xlsx', base64: (await templateWorkbook()).toString('base64') }),
  'demo.build': (input, call) => {
    const job = call.backend.jobs.start('demo.build', null, async (progress) => {
      const { staff, ms } = await buildDemoJob(call.backend, demoOptions(input, call.backend.now()), progress);
      return { ms, logins: staff.map(({ staffNo, name, role }) => ({ staffNo, name, role })) };
    });
    return { jobId: job.id };
  },
  'demo.watch': async (input, { backend }) => {
    const state = backend.jobs.get(input.jobId);
    if (!state || state.kind !== 'demo.build') throw notFound(`job ${input.jobId}`);
    return (await backend.jobs.watch(input.jobId, input.afterVersion)) ?? state;
  },
} satisfies HandlerGroup;
