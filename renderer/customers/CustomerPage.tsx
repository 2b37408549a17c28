import { useState, type FormEvent } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import type { CustomerDetail, MeterView, TimelineEvent } from '../../shared/contract';
import { parseReading } from '../../shared/customers/rules';
import type { MessageKey } from '../../shared/i18n';
import { historyAction, historyEventText } from '../../shared/customers/history';
import { formatCenti } from '../../shared/money';
import { shanghaiDate } from '../../shared/time';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { formatTime } from '../ui/format';
import { Dialog, ErrorBanner, Field, Notice, Page } from '../ui/widgets';
import { emptyMeterDraft, meterFromDraft, MeterInputs } from './MeterInputs';
import { customerPageSections } from './sections';
import './customers.css';
import { DateField } from '../ui/DateField';

type MeterDialog = { kind: 'install' } | { kind: 'replace' | 'remove'; meter: MeterView } | { kind: 'suspend' | 'resume' | 'close' } | null;

function MeterCard({ meter, canWrite, onReplace, onRemove }: { meter: MeterView; canWrite: boolean; onReplace(): void; onRemove(): void }) {
  const { t } = useI18n();
  const removed = meter.removedDate !== null;
  return (
    <div className={`meter-card${removed ? ' removed' : ''}`} aria-label={`${t('customers.field.meterNo')} ${meter.meterNo}`} role="group">
      <div className="meter-line">
        <strong>{t('customers.page.meterLine', { meterNo: meter.meterNo, digits: meter.digits, multiplier: meter.multiplier, tou: meter.tou ? t('customers.page.touMark') : '' })}</strong>
        <span className={removed ? 'status status-closed' : 'ok-text'}>{removed ? t('customers.page.removed') : t('customers.page.installed')}</span>
        <span>{t('customers.page.installedOn', { date: meter.installDate, reading: formatCenti(meter.startReading) })}</span>
        {removed ? <span>{t('customers.page.removedOn', { date: meter.removedDate ?? '', reading: formatCenti(meter.finalReading ?? 0) })}</span> : null}
        {meter.removedReason ? <span className="muted">{meter.removedReason}</span> : null}
        {!removed && canWrite ? (
          <span className="buttons">
            <button type="button" onClick={onReplace}>
              {t('customers.meter.replace')}
            </button>
            <button type="button" onClick={onRemove}>
              {t('customers.meter.remove')}
            </button>
          </span>
        ) : null}
      </div>
    </div>
  );
}

function Timeline({ events }: { events: TimelineEvent[] }) {
  const { t } = useI18n();
  return (
    <section className="section card" aria-label={t('customers.page.history')}>
      <h2>{t('customers.page.history')}</h2>
      {events.length === 0 ? <p className="muted">{t('customers.history.empty')}</p> : null}
      <ol className="timeline">
        {events.map((e) => (
          <li key={e.id}>
            <span className="when">{formatTime(e.at)}</span>
            <strong>{historyAction(e, t)}</strong>
            <span className="muted"> · {e.staffName ?? e.actor}</span>
            <div className="changes">{historyEventText(e, t)}</div>
          </li>
        ))}
      </ol>
    </section>
  );
}

function ReadingDialogBody({ meter, kind, onDone }: { meter: MeterView; kind: 'replace' | 'remove'; onDone(detail: CustomerDetail): void }) {
  const { t } = useI18n();
  const replace = useAction('meters.replace');
  const remove = useAction('meters.remove');
  const today = shanghaiDate(Date.now());
  const [finalReading, setFinal] = useState('');
  const [regs, setRegs] = useState({ peak: '', flat: '', valley: '' });
  const [reason, setReason] = useState('');
  const [date, setDate] = useState(today);
  const [next, setNext] = useState(() => ({ ...emptyMeterDraft(today), digits: String(meter.digits), multiplier: String(meter.multiplier), tou: meter.tou }));
  const error = kind === 'replace' ? replace.error : remove.error;
  const issue = (field: string) => error?.issues?.find((i) => i.path === field)?.message;
  const registers = meter.tou ? { peak: parseReading(regs.peak) ?? -1, flat: parseReading(regs.flat) ?? -1, valley: parseReading(regs.valley) ?? -1 } : null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const final = parseReading(finalReading) ?? -1;
    const result =
      kind === 'replace'
        ? await replace.run({ meterId: meter.id, finalReading: final, finalRegisters: registers, reason, meter: meterFromDraft(next) })
        : await remove.run({ meterId: meter.id, date, finalReading: final, finalRegisters: registers, reason });
    if (result) onDone(result);
  }
  return (
    <form className="form" onSubmit={submit}>
      <ErrorBanner error={error} />
      <h3>{t('customers.meter.oldMeter')} {meter.meterNo}</h3>
      <div className="form-grid">
        <Field label={t('customers.field.finalReading')} value={finalReading} onChange={(e) => setFinal(e.target.value)} error={issue('finalReading')} inputMode="decimal" required autoFocus />
        {meter.tou ? (
          <>
            <Field label={t('customers.field.finalPeak')} value={regs.peak} onChange={(e) => setRegs({ ...regs, peak: e.target.value })} error={issue('finalRegisters.peak')} inputMode="decimal" />
            <Field label={t('customers.field.finalFlat')} value={regs.flat} onChange={(e) => setRegs({ ...regs, flat: e.target.value })} error={issue('finalRegisters.flat')} inputMode="decimal" />
            <Field label={t('customers.field.finalValley')} value={regs.valley} onChange={(e) => setRegs({ ...regs, valley: e.target.value })} error={issue('finalRegisters.valley')} inputMode="decimal" />
          </>
        ) : null}
        {kind === 'remove' ? <DateField label={t('customers.field.removedDate')} value={date} onChange={setDate} error={issue('date')} required /> : null}
        <Field label={t('customers.field.reason')} value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      {kind === 'replace' ? (
        <>
          <h3>{t('customers.meter.newMeter')}</h3>
          <MeterInputs draft={next} onChange={setNext} error={error} dateLabel={t('customers.field.date')} />
        </>
      ) : null}
      <div className="buttons">
        <button type="submit" className="primary" disabled={replace.pending || remove.pending}>
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}

function InstallDialogBody({ customerId, onDone }: { customerId: string; onDone(detail: CustomerDetail): void }) {
  const { t } = useI18n();
  const install = useAction('meters.install');
  const [label, setLabel] = useState('');
  const [draft, setDraft] = useState(() => emptyMeterDraft(shanghaiDate(Date.now())));
  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await install.run({ customerId, label, meter: meterFromDraft(draft) });
    if (result) onDone(result);
  }
  return (
    <form className="form" onSubmit={submit}>
      <ErrorBanner error={install.error} />
      <Field label={t('customers.field.pointLabel')} value={label} onChange={(e) => setLabel(e.target.value)} autoFocus />
      <MeterInputs draft={draft} onChange={setDraft} error={install.error} />
      <div className="buttons">
        <button type="submit" className="primary" disabled={install.pending}>
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}

function StatusDialogBody({ customerId, kind, onDone }: { customerId: string; kind: 'suspend' | 'resume' | 'close'; onDone(detail: CustomerDetail): void }) {
  const { t } = useI18n();
  const action = useAction(kind === 'suspend' ? 'customers.suspend' : kind === 'resume' ? 'customers.resume' : 'customers.close');
  const [date, setDate] = useState(shanghaiDate(Date.now()));
  const [reason, setReason] = useState('');
  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await action.run({ customerId, date, reason });
    if (result) onDone(result);
  }
  return (
    <form className="form" onSubmit={submit}>
      <ErrorBanner error={action.error} />
      <DateField label={t('customers.field.date')} value={date} onChange={setDate} required autoFocus />
      <Field label={t('customers.field.reason')} value={reason} onChange={(e) => setReason(e.target.value)} />
      <div className="buttons">
        <button type="submit" className="primary" disabled={action.pending}>
          {t('common.confirm')}
        </button>
      </div>
    </form>
  );
}

/** 客户档案 page: the file, its metering points and meters, the desks' sections, the history. */
export function CustomerPage() {
  const { t } = useI18n();
  const session = useSession();
  const location = useLocation();
  const { customerId = '' } = useParams();
  const navigate = useNavigate();
  const detail = useQuery('customers.get', { customerId });
  const history = useQuery('customers.history', { customerId });
  const data = detail.data;
  const [dialog, setDialog] = useState<MeterDialog>(null);
  const [notice, setNotice] = useState<string | undefined>((location.state as { notice?: string } | null)?.notice);
  const canWrite = session.can('customers.write');
  const reload = () => {
    detail.reload();
    history.reload();
  };
  const done = (message: string) => () => {
    setDialog(null);
    setNotice(message);
    reload();
  };

  if (!data) return <Page title={t('customers.title')}>{detail.error ? <ErrorBanner error={detail.error} /> : <p className="muted">{t('app.loading')}</p>}</Page>;
  const c = data.customer;
  const open = c.status !== 'closed';
  const item = (key: MessageKey, value: string | number | null) => (
    <div>
      <dt>{t(key)}</dt>
      <dd>{value === null || value === '' ? '—' : value}</dd>
    </div>
  );
  const dialogTitle =
    dialog === null ? '' : dialog.kind === 'install' ? t('customers.meter.installTitle') : dialog.kind === 'replace' ? t('customers.meter.replaceTitle', { meterNo: dialog.meter.meterNo }) : dialog.kind === 'remove' ? t('customers.meter.removeTitle', { meterNo: dialog.meter.meterNo }) : t('customers.status.changeTitle', { action: t(`customers.status.${dialog.kind}`), name: c.name });

  return (
    <Page
      title={`${c.accountNo} ${c.name}`}
      actions={
        canWrite && open ? (
          <>
            <button type="button" onClick={() => navigate(`/customers/${c.id}/edit`)}>
              {t('customers.edit')}
            </button>
            {c.status === 'active' ? <button type="button" onClick={() => setDialog({ kind: 'suspend' })}>{t('customers.status.suspend')}</button> : null}
            {c.status === 'suspended' ? <button type="button" onClick={() => setDialog({ kind: 'resume' })}>{t('customers.status.resume')}</button> : null}
            <button type="button" onClick={() => setDialog({ kind: 'close' })}>{t('customers.status.close')}</button>
          </>
        ) : null
      }
    >
      <Notice>{notice}</Notice>
      <section className="card" aria-label={t('customers.page.file')}>
        <dl className="file-grid">
          {item('customers.field.accountNo', c.accountNo)}
          {item('customers.field.name', c.name)}
          {item('customers.field.status', `${t(`customers.status.${c.status}`)}（${c.statusDate}）`)}
          {item('customers.field.phone', c.phone)}
          {item('customers.field.phone2', c.phone2)}
          {item('customers.field.idCard', c.idCard + (c.idCardMasked ? t('customers.page.idMasked') : ''))}
          {item('customers.field.address', c.address)}
          {item('customers.field.transformerArea', c.transformerArea)}
          {item('customers.field.customerClass', t(`customers.class.${c.customerClass}`))}
          {item('customers.field.tariffCode', c.tariffCode)}
          {item('customers.field.householdSize', c.householdSize)}
          {item('customers.field.multiPerson', c.multiPerson ? t('common.yes') : t('common.no'))}
          {item('customers.field.capacityKva', c.capacityKva)}
          {item('customers.field.openedDate', c.openedDate)}
          {item('customers.field.notes', c.notes)}
        </dl>
      </section>

      <section className="section card" aria-label={t('customers.page.meters')}>
        <div className="page-header">
          <h2>{t('customers.page.meters')}</h2>
          {canWrite && open ? (
            <button type="button" onClick={() => setDialog({ kind: 'install' })}>
              {t('customers.meter.install')}
            </button>
          ) : null}
        </div>
        {data.points.length === 0 ? <p className="muted">{t('customers.page.noMeters')}</p> : null}
        {data.points.map((p) => (
          <div key={p.id}>
            {p.label ? <h3>{p.label}</h3> : null}
            {p.meters.map((m) => (
              <MeterCard key={m.id} meter={m} canWrite={canWrite} onReplace={() => setDialog({ kind: 'replace', meter: m })} onRemove={() => setDialog({ kind: 'remove', meter: m })} />
            ))}
          </div>
        ))}
      </section>

      {customerPageSections
        .filter((s) => session.can(s.permission))
        .sort((a, b) => a.order - b.order)
        .map((s) => (
          <section key={s.id} className="section card" aria-label={t(s.title)}>
            <h2>{t(s.title)}</h2>
            {s.render({ customer: c, points: data.points, reload })}
          </section>
        ))}

      <Timeline events={history.data?.events ?? []} />

      <Dialog open={dialog !== null} title={dialogTitle} onClose={() => setDialog(null)}>
        {dialog?.kind === 'install' ? <InstallDialogBody customerId={c.id} onDone={done(t('common.saved'))} /> : null}
        {dialog?.kind === 'replace' || dialog?.kind === 'remove' ? <ReadingDialogBody meter={dialog.meter} kind={dialog.kind} onDone={done(t('common.saved'))} /> : null}
        {dialog?.kind === 'suspend' || dialog?.kind === 'resume' || dialog?.kind === 'close' ? <StatusDialogBody customerId={c.id} kind={dialog.kind} onDone={done(t('common.saved'))} /> : null}
      </Dialog>
    </Page>
  );
}
