import type { StaffRow } from '../../../shared/contract';
import { ROLES, type Role } from '../../../shared/permissions';
import type { CliCommand, CliContext } from './context';
import { UsageError, say } from './context';
import { dateOf, flag, intOf, label, list, required, staffByNo, str, table, text, when } from './helpers';

// The administrator's jobs on the command line: staff (工号, roles, passwords, leaving), one's
// own password, the audit log and the backup folder. Each goes through the same channel as the
// staff screen, so the same permission (staff.manage, audit.read, backup.run) and audit apply.

function roles(cli: CliContext, values: string[]): Role[] {
  const bad = values.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (values.length === 0 || bad.length) throw new UsageError(say('cli.err.notRole', { roles: ROLES.join(', '), bad: bad.join(', ') || '-' }));
  void cli;
  return values as Role[];
}

const roleNames = (cli: CliContext, list: readonly string[]) => list.map((r) => label(cli, 'role', r)).join(cli.locale === 'en' ? ', ' : '、');

function staffLine(cli: CliContext, s: StaffRow): string {
  return `${s.staffNo} ${s.name}  ${roleNames(cli, s.roles)}${s.active ? '' : cli.t('cli.staff.inactive')}${s.mustChangePassword ? cli.t('cli.staff.mustChange') : ''}`;
}

export const adminCommands: CliCommand[] = [
  {
    name: 'staff list',
    summary: 'List the station\'s staff with their roles, and who is inactive or locked out',
    channels: ['staff.list'],
    json: '{ rows: [{ id, staffNo, name, roles[], active, lockedUntil, mustChangePassword, createdAt }] }',
    async run(cli) {
      const { rows } = await cli.invoke('staff.list', {});
      cli.print({ rows }, () =>
        table([
          cli.t('cli.staff.cols').split('|'),
          ...rows.map((s) => [s.staffNo, s.name, roleNames(cli, s.roles), cli.t(s.active ? 'cli.yes' : 'cli.no'), s.mustChangePassword ? cli.t('cli.staff.mustChangeCell') : s.lockedUntil ? cli.t('cli.staff.lockedUntil', { when: when(s.lockedUntil) }) : '']),
        ]),
      );
    },
  },
  {
    name: 'staff create',
    summary: 'Add a staff member (they must change the password at first login)',
    usage: `STAFF_NO --name NAME --roles ${ROLES.join('|')}[,…] --password PASSWORD`,
    options: { name: text, roles: { type: 'string', multiple: true }, password: text },
    positionals: [1, 1],
    channels: ['staff.create'],
    json: '{ staff: { id, staffNo, name, roles[], active, mustChangePassword, … } }',
    async run(cli, v, [staffNo = '']) {
      const { staff } = await cli.invoke('staff.create', { staffNo, name: required(v, 'name', 'NAME'), roles: roles(cli, list(v, 'roles')), password: required(v, 'password', 'PASSWORD') });
      cli.print({ staff }, () => cli.t('cli.staff.created', { line: staffLine(cli, staff) }));
    },
  },
  {
    name: 'staff roles',
    summary: 'Set a staff member\'s roles (replaces the roles they had)',
    usage: `STAFF_NO --roles ${ROLES.join('|')}[,…]`,
    options: { roles: { type: 'string', multiple: true } },
    positionals: [1, 1],
    channels: ['staff.directory', 'staff.setRoles'],
    json: '{ staff }',
    async run(cli, v, [staffNo = '']) {
      const wanted = roles(cli, list(v, 'roles'));
      const { staff } = await cli.invoke('staff.setRoles', { staffId: (await staffByNo(cli, staffNo)).id, roles: wanted });
      cli.print({ staff }, () => staffLine(cli, staff));
    },
  },
  {
    name: 'staff reset-password',
    summary: 'Give a staff member a new password (they must change it at their next login)',
    usage: 'STAFF_NO --password PASSWORD',
    options: { password: text },
    positionals: [1, 1],
    channels: ['staff.directory', 'staff.resetPassword'],
    json: '{ staff }',
    async run(cli, v, [staffNo = '']) {
      const { staff } = await cli.invoke('staff.resetPassword', { staffId: (await staffByNo(cli, staffNo)).id, password: required(v, 'password', 'PASSWORD') });
      cli.print({ staff }, () => cli.t('cli.staff.reset', { staffNo: staff.staffNo, name: staff.name }));
    },
  },
  {
    name: 'staff deactivate',
    summary: 'Deactivate a staff member who left (their history stays; they can no longer log in)',
    usage: 'STAFF_NO',
    positionals: [1, 1],
    channels: ['staff.directory', 'staff.setActive'],
    json: '{ staff }',
    async run(cli, _v, [staffNo = '']) {
      const { staff } = await cli.invoke('staff.setActive', { staffId: (await staffByNo(cli, staffNo)).id, active: false });
      cli.print({ staff }, () => cli.t('cli.staff.deactivated', { line: staffLine(cli, staff) }));
    },
  },
  {
    name: 'staff unlock',
    summary: 'Unlock a staff member locked by wrong passwords (the audit log keeps who caused the lock)',
    usage: 'STAFF_NO',
    positionals: [1, 1],
    channels: ['staff.directory', 'staff.unlock'],
    json: '{ staff }',
    async run(cli, _v, [staffNo = '']) {
      const { staff } = await cli.invoke('staff.unlock', { staffId: (await staffByNo(cli, staffNo)).id });
      cli.print({ staff }, () => cli.t('cli.staff.unlocked', { line: staffLine(cli, staff) }));
    },
  },
  {
    name: 'staff activate',
    summary: 'Let a deactivated staff member log in again',
    usage: 'STAFF_NO',
    positionals: [1, 1],
    channels: ['staff.directory', 'staff.setActive'],
    json: '{ staff }',
    async run(cli, _v, [staffNo = '']) {
      const { staff } = await cli.invoke('staff.setActive', { staffId: (await staffByNo(cli, staffNo)).id, active: true });
      cli.print({ staff }, () => cli.t('cli.staff.activated', { line: staffLine(cli, staff) }));
    },
  },
  {
    name: 'password',
    summary: 'Change your own password (the staff member named by --staff)',
    usage: '--staff STAFF_NO --current OLD --new NEW',
    options: { current: text, new: text },
    channels: ['auth.changePassword'],
    json: '{ done: true }',
    async run(cli, v) {
      if (!cli.staffNo) throw new UsageError(say('cli.err.passwordWhose'));
      await cli.invoke('auth.changePassword', { current: required(v, 'current', 'OLD'), next: required(v, 'new', 'NEW') });
      cli.print({ done: true }, () => cli.t('cli.staff.passwordChanged', { staffNo: cli.staffNo ?? '' }));
    },
  },
  {
    name: 'audit',
    summary: 'The audit log, newest first: who did what and when',
    usage: '[--staff-no NO] [--action ACTION] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--limit N] [--actions]',
    options: { 'staff-no': text, action: text, from: text, to: text, limit: text, actions: flag },
    channels: ['audit.list', 'audit.actions', 'staff.directory'],
    json: '{ rows: [{ id, at, staffId, actor, staffName, action, entity, entityId, summary }], nextBeforeId } or, with --actions, { actions: [] }',
    async run(cli, v) {
      if (v.actions === true) {
        const { actions } = await cli.invoke('audit.actions', {});
        cli.print({ actions }, () => actions.join('\n'));
        return;
      }
      const staffNo = str(v, 'staff-no');
      const from = str(v, 'from');
      const to = str(v, 'to');
      const action = str(v, 'action');
      const limit = str(v, 'limit');
      const result = await cli.invoke('audit.list', {
        ...(staffNo ? { staffId: (await staffByNo(cli, staffNo)).id } : {}),
        ...(action ? { action } : {}),
        ...(from ? { fromDate: dateOf(from, '--from') } : {}),
        ...(to ? { toDate: dateOf(to, '--to') } : {}),
        limit: limit ? intOf(limit, '--limit', 1, 500) : 100,
      });
      cli.print(result, () => result.rows.map((r) => `${when(r.at)}  ${r.actor.padEnd(16)}  ${r.action.padEnd(24)}  ${JSON.stringify(r.summary)}`).join('\n'));
    },
  },
  {
    name: 'backups list',
    summary: 'The backups in the station\'s backup folder (daily, manual, before migrations and restores)',
    channels: ['backup.list'],
    json: '{ rows: [{ file, kind, size, createdAt }] }',
    async run(cli) {
      const { rows } = await cli.invoke('backup.list', {});
      cli.print({ rows }, () => (rows.length ? table([cli.t('cli.backups.cols').split('|'), ...rows.map((r) => [r.file, r.kind, String(r.size), when(r.createdAt)])]) : cli.t('cli.backups.none')));
    },
  },
  {
    name: 'backups run',
    summary: 'Make a backup into the station\'s backup folder now (as the desk\'s "back up now"; audited)',
    channels: ['backup.run'],
    json: 'the job result: { file, size, … }',
    async run(cli) {
      const result = await cli.job('backup', cli.invoke('backup.run', {}));
      cli.print(result, () => cli.t('cli.backups.made', { file: result.file }));
    },
  },
];
