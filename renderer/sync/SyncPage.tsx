import { useRef, useState, type ChangeEvent } from 'react';
import { jobResult, type JobState } from '../../shared/contract';
import { hasMessage } from '../../shared/i18n';
import { call, runJob } from '../api/client';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { formatBytes, formatTime } from '../ui/format';
import { ErrorBanner, Field, JobBar, Notice, Page } from '../ui/widgets';
import { DataTable } from '../ui/DataTable';

// 数据上报: what waits to go to head office, export and push, head office's answers, reference data.

async function fileBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

export function SyncPage() {
  const { t } = useI18n();
  const status = useQuery('sync.status', {});
  const ack = useAction('sync.ack');
  const apply = useAction('sync.apply');
  const noticeRead = useAction('sync.noticeRead');
  const [job, setJob] = useState<JobState>();
  const [running, setRunning] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [url, setUrl] = useState('');
  const ackInput = useRef<HTMLInputElement>(null);
  const refInput = useRef<HTMLInputElement>(null);
  const s = status.data;
  const kind = (entity: string) => {
    const key = `sync.kind.${entity}`;
    return hasMessage(key) ? t(key) : entity;
  };

  async function runExport(push: boolean) {
    setRunning(true);
    setNotice(undefined);
    try {
      const final = await runJob(() => (push ? call('sync.push', { url }) : call('sync.export', {})), setJob);
      if (final.status === 'succeeded') {
        if (push) setNotice(t('sync.pushed', { status: t(`sync.status.${jobResult('sync.push', final).ack.status}` as 'sync.status.applied') }));
        else {
          const r = jobResult('sync.export', final);
          setNotice(t('sync.exported', { file: r.fileName, count: r.count, from: r.fromSeq, to: r.toSeq }));
        }
      }
      status.reload();
    } finally {
      setRunning(false);
    }
  }

  async function onAck(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setNotice(undefined);
    const r = await ack.run({ fileName: file.name, dataBase64: await fileBase64(file) });
    if (r) setNotice(t('sync.ackApplied', { acked: r.ackedSeq, pruned: r.pruned }));
    status.reload();
  }

  async function onApply(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setNotice(undefined);
    const r = await apply.run({ fileName: file.name, dataBase64: await fileBase64(file) });
    if (r) {
      const loaded = Object.entries(r.loaded).map(([k, n]) => `${hasMessage(`sync.loadedKind.${k}`) ? t(`sync.loadedKind.${k}` as 'sync.loadedKind.policy') : k} ${n}`);
      setNotice(r.already ? t('sync.refAlready', { version: r.version }) : `${t('sync.refApplied', { version: r.version, tariffs: r.tariffs })}${loaded.length ? `；${t('sync.loaded')}：${loaded.join('，')}` : ''}`);
    }
    status.reload();
  }

  return (
    <Page
      title={t('sync.title')}
      actions={
        <>
          <button type="button" className="primary" onClick={() => void runExport(false)} disabled={running || !s || s.waitingTotal === 0}>
            {running ? t('sync.exporting') : t('sync.export')}
          </button>
          <button type="button" onClick={() => ackInput.current?.click()} disabled={ack.pending}>
            {t('sync.ackFile')}
          </button>
          <button type="button" onClick={() => refInput.current?.click()} disabled={apply.pending}>
            {t('sync.refFile')}
          </button>
        </>
      }
    >
      <input ref={ackInput} type="file" accept=".gdsync" hidden aria-label={t('sync.ackFile')} onChange={(e) => void onAck(e)} />
      <input ref={refInput} type="file" accept=".gdsync" hidden aria-label={t('sync.refFile')} onChange={(e) => void onApply(e)} />
      <JobBar job={job} label={t('sync.exporting')} />
      <Notice>{notice}</Notice>
      <ErrorBanner error={status.error ?? ack.error ?? apply.error ?? noticeRead.error} />
      {s ? (
        <>
          <h2>{t('sync.notices')}</h2>
          {s.notices.some((n) => n.readAt === null) ? null : <p className="muted">{t('sync.noticesNone')}</p>}
          <ul className="notices" data-testid="hq-notices">
            {s.notices.map((n) => (
              <li key={n.id} className={n.readAt === null ? 'unread' : 'muted'}>
                <strong>{n.title}</strong>
                {n.body ? <span> — {n.body}</span> : null}
                {n.until ? <span className="muted"> · {t('sync.noticeUntil', { until: n.until })}</span> : null}
                {n.readAt === null ? (
                  <button
                    type="button"
                    disabled={noticeRead.pending}
                    onClick={async () => {
                      if (await noticeRead.run({ id: n.id })) status.reload();
                    }}
                  >
                    {t('sync.noticeRead')}
                  </button>
                ) : (
                  <span className="muted"> · {t('sync.noticeReadBy', { who: n.readBy ?? '', at: formatTime(n.readAt) })}</span>
                )}
              </li>
            ))}
          </ul>
          <h2>{t('sync.waitingTotal', { count: s.waitingTotal })}</h2>
          <DataTable
            label={t('sync.waiting')}
            counted={false}
            rows={s.waiting}
            rowKey={(w) => w.entity}
            columns={[
              { id: 'entity', header: t('sync.entity'), value: (w) => kind(w.entity) },
              { id: 'count', header: t('sync.count'), kind: 'number', value: (w) => w.count },
            ]}
          />
          <dl className="facts">
            <dt>{t('sync.lastExport')}</dt>
            <dd data-testid="last-export">
              {s.lastExport
                ? `${formatTime(s.lastExport.at)} · ${s.lastExport.fileName} · ${t('sync.range')} ${s.lastExport.fromSeq}–${s.lastExport.toSeq} · ${s.lastExport.count} · ${formatBytes(s.lastExport.bytes)}`
                : t('sync.never')}
            </dd>
            <dt>{t('sync.lastAck')}</dt>
            <dd data-testid="last-ack">{s.ackedAt ? `${formatTime(s.ackedAt)} · ${t('sync.range')} ≤ ${s.ackedSeq}` : t('sync.never')}</dd>
            <dt>{t('sync.refVersion')}</dt>
            <dd data-testid="ref-version">{s.referenceVersion !== null ? `v${s.referenceVersion}${s.referenceAppliedAt ? ` · ${formatTime(s.referenceAppliedAt)}` : ''}` : t('sync.never')}</dd>
            <dt>{t('sync.outboxRows')}</dt>
            <dd data-testid="outbox-rows">{s.outboxRows}</dd>
            <dt>{t('sync.keyId')}</dt>
            <dd className="mono">{s.keyId ? `${s.keyId} · ${t('sync.epoch')} ${s.epoch}` : t('sync.never')}</dd>
            <dt>{t('sync.keyProtection')}</dt>
            <dd data-testid="key-protection">{s.keyProtection ? t(s.keyProtection === 'safeStorage' ? 'sync.keyProtection.safeStorage' : 'sync.keyProtection.file') : t('sync.never')}</dd>
            <dt>{t('sync.hqKey')}</dt>
            <dd className="mono">{s.hqKeyId ?? t('sync.notTrusted')}</dd>
          </dl>
          {s.heldReference.length ? (
            <p className="muted">
              {t('sync.held')}: {s.heldReference.map((h) => `${h.type} ${h.count}`).join(', ')}
            </p>
          ) : null}
          <h2>{t('sync.push')}</h2>
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (url) void runExport(true);
            }}
          >
            <Field label={t('sync.pushUrl')} value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://hq.example/" />
            <button type="submit" disabled={running || !url || s.waitingTotal === 0}>
              {t('sync.push')}
            </button>
          </form>
          <h2>{t('sync.answers')}</h2>
          <DataTable
            label={t('sync.answers')}
            rows={s.answers}
            rowKey={(_a, i) => String(i)}
            columns={[
              { id: 'time', header: t('sync.time'), kind: 'time', value: (a) => a.at },
              { id: 'status', header: t('sync.answerStatus'), value: (a) => (hasMessage(`sync.status.${a.status}`) ? t(`sync.status.${a.status}` as 'sync.status.applied') : a.status) },
              { id: 'range', header: t('sync.range'), value: (a) => (a.fromSeq !== null ? `${a.fromSeq}–${a.toSeq}` : '') },
              { id: 'reason', header: t('sync.reason'), value: (a) => a.reason },
            ]}
          />
        </>
      ) : null}
    </Page>
  );
}
