import { callStaff, type HandlerGroup } from '../handler';
import { login } from './login';
import { changeOwnPassword, getStaff, insertStaff, listStaff, prepareStaff, resetPassword, sessionView, setActive, setRoles, unlockStaff } from './staff';

export const staffHandlers = {
  'auth.login': async (input, call) => {
    const { backend } = call;
    backend.requireStation();
    const staff = await login(backend, input.staffNo, input.password);
    backend.sessions.end(call.session?.token);
    const session = backend.sessions.start(staff.id);
    call.setSessionToken(session.token);
    return { staff: sessionView(staff) };
  },
  'auth.logout': (_input, call) => {
    if (call.staff) call.backend.write(call.actor, (unit) => unit.audit({ action: 'auth.logout', entity: 'staff', entityId: call.staff?.id ?? null, summary: {} }));
    call.backend.sessions.end(call.session?.token);
    call.setSessionToken(null);
    return { done: true as const };
  },
  'auth.me': (_input, call) => ({ staff: call.staff ? sessionView(call.staff) : null }),
  'auth.changePassword': async (input, call) => {
    await changeOwnPassword(call.backend, callStaff(call), input.current, input.next, call.session?.token ?? null);
    return { done: true as const };
  },

  'staff.list': (_input, { backend }) => ({ rows: listStaff(backend.store.read, backend.now()) }),
  'staff.create': async (input, call) => {
    const prepared = await prepareStaff({ ...input, mustChangePassword: true });
    const staff = call.backend.write(call.actor, (unit) => {
      insertStaff(unit, prepared);
      return getStaff(unit, prepared.id, unit.at);
    });
    return { staff };
  },
  'staff.setRoles': (input, call) => ({
    staff: call.backend.write(call.actor, (unit) => setRoles(call.backend, unit, input.staffId, input.roles)),
  }),
  'staff.resetPassword': async (input, call) => ({
    staff: await resetPassword(call.backend, call.actor, input.staffId, input.password),
  }),
  'staff.setActive': (input, call) => ({
    staff: call.backend.write(call.actor, (unit) => setActive(call.backend, unit, input.staffId, input.active)),
  }),
  'staff.unlock': (input, call) => ({
    staff: call.backend.write(call.actor, (unit) => unlockStaff(unit, input.staffId)),
  }),
  'staff.directory': (_input, { backend }) => ({
    rows: listStaff(backend.store.read, backend.now()).map(({ id, staffNo, name, roles, active }) => ({ id, staffNo, name, roles, active })),
  }),
} satisfies HandlerGroup;
