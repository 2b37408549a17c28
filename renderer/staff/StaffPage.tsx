import { useState, type FormEvent } from 'react';
import type { StaffRow } from '../../shared/contract';
import { ROLES, type Role } from '../../shared/permissions';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { formatTime } from '../ui/format';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { Dialog, ErrorBanner, Field, Notice, Page } from '../ui/widgets';
import { DataTable } from '../ui/DataTable';

function RolePicker({ value, onChange, legend }: { value: Role[]; onChange(roles: Role[]): void; legend: string }) {
  const { t } = useI18n();
  return (
    <fieldset className="roles">
      <legend>{legend}</legend>
      {ROLES.map((role) => (
        <label key={role} className="check">
          <input
            type="checkbox"
            checked={value.includes(role)}
            onChange={(e) => onChange(e.target.checked ? [...value, role] : value.filter((r) => r !== role))}
          />
          {t(`role.${role}`)}
        </label>
      ))}
    </fieldset>
  );
}

type Editing = { kind: 'roles' | 'password'; staff: StaffRow } | null;

export function StaffPage() {
  const { t } = useI18n();
  const list = useQuery('staff.list', {});
  const create = useAction('staff.create');
  const setRoles = useAction('staff.setRoles');
  const reset = useAction('staff.resetPassword');
  const setActive = useAction('staff.setActive');
  const unlock = useAction('staff.unlock');
  const [form, setForm] = useState({ staffNo: '', name: '', password: '', roles: [] as Role[] });
  const [notice, setNotice] = useState<string>();
  const [editing, setEditing] = useState<Editing>(null);
  const [editRoles, setEditRoles] = useState<Role[]>([]);
  const [newPassword, setNewPassword] = useState('');

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await create.run(form);
    if (result) {
      setNotice(t('staff.created', { name: result.staff.name, staffNo: result.staff.staffNo }));
      setForm({ staffNo: '', name: '', password: '', roles: [] });
      list.reload();
    }
  }

  async function saveEdit(event: FormEvent) {
    event.preventDefault();
    if (!editing) return;
    const result =
      editing.kind === 'roles'
        ? await setRoles.run({ staffId: editing.staff.id, roles: editRoles })
        : await reset.run({ staffId: editing.staff.id, password: newPassword });
    if (result) {
      if (editing.kind === 'password') setNotice(t('staff.passwordReset', { name: editing.staff.name }));
      setEditing(null);
      setNewPassword('');
      list.reload();
    }
  }

  // Deactivating locks a colleague out: it goes through the confirmation; reactivating does not.
  const [deactivating, setDeactivating] = useState<StaffRow | null>(null);
  async function toggleActive(staff: StaffRow) {
    if (staff.active && deactivating !== staff) return setDeactivating(staff);
    setDeactivating(null);
    if (await setActive.run({ staffId: staff.id, active: !staff.active })) list.reload();
  }

  async function unlockStaff(staff: StaffRow) {
    if (await unlock.run({ staffId: staff.id })) list.reload();
  }

  return (
    <Page title={t('staff.title')}>
      <Notice>{notice}</Notice>
      <ErrorBanner error={list.error ?? setActive.error ?? unlock.error} />
      <form className="card form inline-form" onSubmit={submit} aria-label={t('staff.new')}>
        <h2>{t('staff.new')}</h2>
        <ErrorBanner error={create.error} />
        <div className="row">
          <Field label={t('staff.staffNo')} value={form.staffNo} onChange={(e) => setForm({ ...form, staffNo: e.target.value })} required />
          <Field label={t('staff.name')} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required />
          <Field
            label={t('staff.initialPassword')}
            hint={t('password.rule')}
            type="password"
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
            required
            autoComplete="new-password"
          />
        </div>
        <RolePicker legend={t('staff.roles')} value={form.roles} onChange={(roles) => setForm({ ...form, roles })} />
        <button type="submit" className="primary" disabled={create.pending}>
          {t('staff.create')}
        </button>
      </form>

      <DataTable
        label={t('staff.title')}
        exportName={t('staff.title')}
        rows={list.data?.rows}
        rowKey={(s) => s.id}
        rowClassName={(s) => (s.active ? undefined : 'inactive')}
        columns={[
          { id: 'staffNo', header: t('staff.staffNo'), value: (s) => s.staffNo },
          { id: 'name', header: t('staff.name'), value: (s) => s.name },
          { id: 'roles', header: t('staff.roles'), value: (s) => s.roles.map((r) => t(`role.${r}`)).join('、') },
          {
            id: 'status',
            header: t('common.status'),
            value: (s) =>
              `${s.active ? t('staff.active') : t('staff.inactive')}${s.lockedUntil ? ` · ${t('staff.locked', { until: formatTime(s.lockedUntil).slice(0, 16) })}` : ''}${
                s.lockedUntil && s.lockedBy ? ` ${t('staff.lockedBy', { by: s.lockedBy, via: s.lockedVia ?? '' })}` : ''
              }`,
          },
          {
            id: 'actions',
            header: t('common.actions'),
            className: 'actions',
            render: (s) => (
              <>
                <button
                  type="button"
                  onClick={() => {
                    setEditRoles(s.roles);
                    setEditing({ kind: 'roles', staff: s });
                  }}
                >
                  {t('staff.editRoles')}
                </button>
                <button type="button" onClick={() => setEditing({ kind: 'password', staff: s })}>
                  {t('staff.resetPassword')}
                </button>
                {s.lockedUntil ? (
                  <button type="button" onClick={() => void unlockStaff(s)} disabled={unlock.pending}>
                    {t('staff.unlock')}
                  </button>
                ) : null}
                <button type="button" onClick={() => void toggleActive(s)}>
                  {s.active ? t('staff.deactivate') : t('staff.reactivate')}
                </button>
              </>
            ),
          },
        ]}
      />

      <Dialog
        open={editing !== null}
        title={editing ? `${editing.kind === 'roles' ? t('staff.editRoles') : t('staff.resetPassword')}：${editing.staff.name}` : ''}
        onClose={() => setEditing(null)}
      >
        <form className="form" onSubmit={saveEdit}>
          <ErrorBanner error={editing?.kind === 'roles' ? setRoles.error : reset.error} />
          {editing?.kind === 'roles' ? (
            <RolePicker legend={t('staff.roles')} value={editRoles} onChange={setEditRoles} />
          ) : (
            <Field label={t('staff.newPassword')} hint={t('password.rule')} type="password" value={newPassword} onChange={(e) => setNewPassword(e.target.value)} required autoFocus />
          )}
          <div className="buttons">
            <button type="submit" className="primary">
              {t('common.save')}
            </button>
            <button type="button" onClick={() => setEditing(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      </Dialog>
      {deactivating ? (
        <ConfirmDialog
          open
          title={t('staff.deactivate')}
          confirmLabel={t('staff.deactivate')}
          danger
          pending={setActive.pending}
          onCancel={() => setDeactivating(null)}
          onConfirm={() => void toggleActive(deactivating)}
        >
          <p>{t('staff.deactivateConfirm', { name: `${deactivating.staffNo} ${deactivating.name}` })}</p>
        </ConfirmDialog>
      ) : null}
    </Page>
  );
}
