import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useParams } from 'react-router';
import type { EntryOutcome, EntryRow, InputOf } from '../../shared/contract';
import type { MessageKey } from '../../shared/i18n';
import { formatCenti, parseCenti } from '../../shared/money';
import { consumptionWithReplacement, flagLabel, flagMessage, spanConsumption, type ReadingFlag, type TouRegister } from '../../shared/readings';
import { ApiFailure, call } from '../api/client';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { beep } from '../ui/beep';
import { AppDateInput } from '../ui/DateField';
import { formatQuantity } from '../ui/format';
import { ErrorBanner, Notice, Page, ProgressBar } from '../ui/widgets';
import { draftKey, emptyDraft, isBlank, loadDrafts, saveDrafts, type Drafts, type RowDraft } from './drafts';

// The entry grid (抄表录入): the book's meters in reading order. Type the reading, Enter saves the
// row and moves to the next one at once — the save runs in the background, in order. A row that
// needs attention (a rollover to confirm, a refused figure, an error) is marked, counted and
// announced with a short tone, but the focus is never taken back: a reader keying blind from a
// paper list would otherwise type the next meter's figure into the refused row (issue 16). What
// is typed while a row has the focus belongs to that row's meter. Alt+N jumps to the next row
// needing attention. Alt+G marks an estimate (估抄), Alt+W no access (未抄到), each with a reason;
// retyping a saved row asks for a correction reason.

/** Width (px) of one register in the 分时 cell: its name at 12 px (峰, 深谷, valley), the input, the gaps. */
function registerSlot(label: string): number {
  let text = 0;
  for (const ch of label.trim()) text += /[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 12.5 : 7;
  return Math.ceil(text) + 3 + 70 + 6;
}

const NARROW_SCREEN = '(max-width: 1279px)';

/** Whether the window is narrower than 1280 px (the 1024×768 office PC); follows resizing. */
function useNarrowScreen(): boolean {
  const [narrow, setNarrow] = useState(() => window.matchMedia(NARROW_SCREEN).matches);
  useEffect(() => {
    const query = window.matchMedia(NARROW_SCREEN);
    const change = () => setNarrow(query.matches);
    query.addEventListener('change', change);
    return () => query.removeEventListener('change', change);
  }, []);
  return narrow;
}

const REGISTER_TEXT = /^\d{1,12}(\.\d{1,2})?$/;
/** Every grid row is this tall (px; styles.css gives the rows the same height). */
const ROW_HEIGHT = 36;
/** Rows kept in the page above and below the visible ones. */
const WINDOW_BEFORE = 20;
const WINDOW_AFTER = 30;
const WINDOW_MIN = 80;

type RowMessage =
  | { type: 'saving' }
  | { type: 'confirm'; consumption: number }
  | { type: 'refused'; errors: ReadingFlag[] }
  | { type: 'error'; text: string }
  | { type: 'reason'; mode: 'estimated' | 'no_access' | 'correct' };

/** Consumption as typed, before saving: (止码 − 起码) × 倍率, with a 换表's old meter too. */
function previewConsumption(row: EntryRow, text: string): number | null {
  if (!REGISTER_TEXT.test(text)) return null;
  const current = parseCenti(text);
  if (row.replacement) {
    const r = row.replacement;
    return consumptionWithReplacement(
      { previous: row.previous, current: r.oldFinal, multiplier: r.oldMultiplier },
      { previous: r.newStart, current, multiplier: row.multiplier },
    );
  }
  return spanConsumption({ previous: row.previous, current, multiplier: row.multiplier });
}

/** The fields of a row in the order Enter walks them: 止码, then each TOU register. */
function fieldsOf(row: EntryRow): string[] {
  return ['value', ...row.registerNames];
}

function focusField(index: number, field = 'value'): boolean {
  const el = document.querySelector<HTMLElement>(`[data-row="${index}"] [data-field="${field}"]`);
  if (!el) return false;
  el.focus();
  if (el instanceof HTMLInputElement) el.select();
  return true;
}

interface RowHandlers {
  change(pointId: string, patch: Partial<RowDraft>): void;
  key(index: number, field: string, event: KeyboardEvent<HTMLElement>): void;
  confirm(index: number): void;
  cancel(index: number): void;
}

interface RowProps {
  row: EntryRow;
  index: number;
  draft: RowDraft | undefined;
  message: RowMessage | undefined;
  canEnter: boolean;
  showTou: boolean;
  /** Below 1280 px: 户号 over 户名 and 表号 over 起码 in one cell each, the address as their tooltip. */
  compact: boolean;
  handlers: RowHandlers;
}

const EntryRowView = memo(function EntryRowView({ row, index, draft, message, canEnter, showTou, compact, handlers }: RowProps) {
  const { t, locale } = useI18n();
  const d = draft ?? emptyDraft();
  const reading = row.reading;
  const typed = d.value !== '' ? d.value : '';
  const consumption = typed ? previewConsumption(row, typed) : (reading?.consumption ?? null);
  const kind = message?.type === 'reason' && message.mode !== 'correct' ? message.mode : d.kind;
  const flags = reading?.flags ?? [];
  const onKey = (field: string) => (e: KeyboardEvent<HTMLElement>) => handlers.key(index, field, e);
  const label = (key: MessageKey) => t('entry.fieldOfRow', { field: t(key), seq: row.seq });
  const meterText = (
    <>
      {row.meterNo}
      {row.multiplier > 1 ? <span className="muted multiplier"> ×{row.multiplier}</span> : null}
    </>
  );
  const previousText = (
    <>
      {formatQuantity(row.replacement ? row.replacement.newStart : row.previous)}
      {row.replacement ? (
        <span className="badge" title={t('entry.replacement', { oldMeterNo: row.replacement.oldMeterNo, previous: formatQuantity(row.previous), oldFinal: formatQuantity(row.replacement.oldFinal) })}>
          {t('entry.replaced')}
        </span>
      ) : null}
    </>
  );
  return (
    <tr data-row={index} aria-rowindex={index + 2} data-status={message?.type === 'saving' ? 'saving' : row.status} data-attention={message && message.type !== 'saving' && message.type !== 'reason' ? message.type : undefined} className={`entry-row status-${row.status}${message && message.type !== 'saving' && message.type !== 'reason' ? ' attention' : ''}`}>
      <td className="num">{row.seq}</td>
      {compact ? (
        <td className="stack" title={row.address}>
          <span className="mono">{row.accountNo}</span>
          <span>{row.customerName}</span>
        </td>
      ) : (
        <>
          <td className="mono">{row.accountNo}</td>
          <td className="wrap2" title={row.customerName}>
            <span>{row.customerName}</span>
          </td>
          <td className="wrap2 address" title={row.address}>
            <span>{row.address}</span>
          </td>
        </>
      )}
      {compact ? (
        <td className="stack">
          <span className="mono">{meterText}</span>
          <span className="num">{previousText}</span>
        </td>
      ) : (
        <>
          <td className="mono wrap2">
            <span>{meterText}</span>
          </td>
          <td className="num">{previousText}</td>
        </>
      )}
      <td className="entry-input">
        {canEnter ? (
          <input
            data-field="value"
            aria-label={label('entry.current')}
            inputMode="decimal"
            autoComplete="off"
            value={d.value !== '' ? d.value : reading?.value !== null && reading?.value !== undefined && isBlank(draft) ? formatCenti(reading.value) : d.value}
            placeholder={kind === 'no_access' ? t('reading.kind.no_access') : ''}
            aria-invalid={message?.type === 'refused' || message?.type === 'error' ? true : undefined}
            onChange={(e) => handlers.change(row.pointId, { value: e.target.value.trim() })}
            onKeyDown={onKey('value')}
          />
        ) : (
          <span className="num">{reading?.value !== null && reading?.value !== undefined ? formatQuantity(reading.value) : ''}</span>
        )}
      </td>
      {showTou ? (
        <td className="entry-tou">
          {row.registerNames.map((name: TouRegister) =>
            canEnter ? (
              <label key={name} className="register">
                {t(`reading.span.${name}`)}
                <input
                  data-field={name}
                  aria-label={t('entry.registerOfRow', { register: t(`reading.span.${name}`), seq: row.seq })}
                  inputMode="decimal"
                  autoComplete="off"
                  value={d.registers[name] ?? (isBlank(draft) && reading?.registers?.[name] !== undefined ? formatCenti(reading.registers[name] ?? 0) : '')}
                  onChange={(e) => handlers.change(row.pointId, { registers: { ...d.registers, [name]: e.target.value.trim() } })}
                  onKeyDown={onKey(name)}
                />
              </label>
            ) : (
              <span key={name}>
                {t(`reading.span.${name}`)} {reading?.registers?.[name] !== undefined ? formatQuantity(reading.registers[name] ?? 0) : ''}
              </span>
            ),
          )}
        </td>
      ) : null}
      <td className={`num${consumption !== null && consumption < 0 ? ' error-text' : ''}`}>{consumption === null ? '' : formatQuantity(consumption)}</td>
      <td className="entry-status wrap2">
        {message?.type === 'saving' ? <span className="muted">{t('entry.saving')}</span> : null}
        {message?.type === 'reason' ? (
          <span className="reason-editor">
            <input
              data-field="reason"
              aria-label={t(`entry.reason.${message.mode}`)}
              placeholder={t(`entry.reason.${message.mode}`)}
              list={`reasons-${message.mode}`}
              value={d.reason}
              onChange={(e) => handlers.change(row.pointId, { reason: e.target.value })}
              onKeyDown={onKey('reason')}
            />
          </span>
        ) : null}
        {message?.type === 'confirm' ? (
          <span role="alert">
            {t('entry.rolloverOffered', { consumption: formatCenti(message.consumption) })}{' '}
            <button type="button" data-field="confirm" className="primary" onClick={() => handlers.confirm(index)} onKeyDown={onKey('confirm')}>
              {t('entry.confirmRollover')}
            </button>
          </span>
        ) : null}
        {message?.type === 'refused' ? <span role="alert" className="error-text">{message.errors.map((e) => flagMessage(locale, e)).join('；')}</span> : null}
        {message?.type === 'error' ? <span role="alert" className="error-text">{message.text}</span> : null}
        {!message || message.type === 'reason' ? (
          <span title={flags.map((f) => flagMessage(locale, f)).join('\n')}>
            {reading ? (reading.kind !== 'actual' ? `${t(`reading.kind.${reading.kind}`)} · ` : '') : ''}
            {t(`reading.status.${row.status}`)}
            {flags.length ? ` · ${flags.map((f) => flagLabel(locale, f.code)).join('、')}` : ''}
            {row.corrections ? ` · ${t('entry.corrected', { count: row.corrections })}` : ''}
          </span>
        ) : null}
      </td>
    </tr>
  );
});

export function EntryGridPage() {
  const { period = '', bookId = '' } = useParams();
  const { t, locale } = useI18n();
  const session = useSession();
  const sheet = useQuery('readings.book', { period, bookId });
  const [rows, setRows] = useState<EntryRow[]>([]);
  const rowsRef = useRef<EntryRow[]>([]);
  const key = draftKey(session.staff?.id ?? '', period, bookId);
  const draftsRef = useRef<Drafts>({});
  const [drafts, setDrafts] = useState<Drafts>({});
  const [messages, setMessages] = useState<Record<string, RowMessage>>({});
  const messagesRef = useRef<Record<string, RowMessage>>({});
  const [restored, setRestored] = useState(0);
  const [readingDate, setReadingDate] = useState('');
  const dateRef = useRef('');
  // Saves of different rows go out at once; a row's own saves wait for each other (a correction
  // names the reading the save before it made).
  const inFlight = useRef(new Map<string, Promise<unknown>>());
  const startedRef = useRef(false);
  // A focus asked for before its element exists (a confirm button about to render) is applied
  // right after the next render.
  const pendingFocus = useRef<{ index: number; field: string } | null>(null);
  // Only the rows near the view are in the page (an 800-row table re-laid out on every keystroke
  // is what makes a grid feel slow); rows are ROW_HEIGHT tall, the window follows the scroll.
  const scrollBox = useRef<HTMLDivElement>(null);
  const [firstShown, setFirstShown] = useState(0);
  const [shownCount, setShownCount] = useState(WINDOW_MIN);
  const windowFor = useCallback((index: number) => Math.max(0, index - WINDOW_BEFORE), []);
  /** Focuses a row's field now if it is in the page, else scrolls to it and focuses it after the render. */
  const requestFocus = useCallback(
    (index: number, field = 'value'): boolean => {
      if (index < 0 || index >= rowsRef.current.length) return false;
      if (focusField(index, field)) {
        pendingFocus.current = null;
        return true;
      }
      pendingFocus.current = { index, field };
      const box = scrollBox.current;
      if (box) box.scrollTop = Math.max(0, index * ROW_HEIGHT - box.clientHeight / 2);
      setFirstShown(windowFor(index));
      return false;
    },
    [windowFor],
  );
  useLayoutEffect(() => {
    const wanted = pendingFocus.current;
    if (wanted && focusField(wanted.index, wanted.field)) pendingFocus.current = null;
  });
  const onScroll = useCallback(() => {
    const box = scrollBox.current;
    if (!box) return;
    const first = Math.floor(box.scrollTop / ROW_HEIGHT);
    setFirstShown(windowFor(first));
    setShownCount(Math.max(WINDOW_MIN, Math.ceil(box.clientHeight / ROW_HEIGHT) + WINDOW_BEFORE + WINDOW_AFTER));
  }, [windowFor]);

  const setMessage = useCallback((pointId: string, message: RowMessage | null) => {
    const next = { ...messagesRef.current };
    if (message) next[pointId] = message;
    else delete next[pointId];
    messagesRef.current = next;
    setMessages(next);
  }, []);

  const setDraft = useCallback(
    (pointId: string, draft: RowDraft | null) => {
      const next = { ...draftsRef.current };
      if (draft) next[pointId] = draft;
      else delete next[pointId];
      draftsRef.current = next;
      saveDrafts(key, next);
      setDrafts(next);
    },
    [key],
  );

  // Load: the rows from the back end, the unsaved drafts from this PC.
  useEffect(() => {
    if (!sheet.data) return;
    rowsRef.current = sheet.data.rows;
    setRows(sheet.data.rows);
    const stored = loadDrafts(key);
    const byPoint = new Map(sheet.data.rows.map((r) => [r.pointId, r]));
    const kept: Drafts = {};
    for (const [pointId, draft] of Object.entries(stored)) {
      const row = byPoint.get(pointId);
      const saved = row?.reading?.value !== null && row?.reading?.value !== undefined ? formatCenti(row.reading.value) : null;
      if (row && !isBlank(draft) && !(saved !== null && draft.value === saved && draft.kind === row.reading?.kind)) kept[pointId] = draft;
    }
    draftsRef.current = kept;
    saveDrafts(key, kept);
    setDrafts(kept);
    setRestored(Object.keys(kept).length);
    // Start where the work is: the first row with an unsaved entry, else the first not entered.
    if (!startedRef.current) {
      startedRef.current = true;
      const start = sheet.data.rows.findIndex((r) => kept[r.pointId] !== undefined || r.status === 'not_entered');
      if (start >= 0) requestFocus(start);
    }
    const storedDate = localStorage.getItem(`${key}.date`);
    const date = storedDate ?? sheet.data.today;
    dateRef.current = date;
    setReadingDate(date);
  }, [sheet.data, key, requestFocus]);

  const replaceRow = useCallback((index: number, row: EntryRow) => {
    const next = [...rowsRef.current];
    next[index] = row;
    rowsRef.current = next;
    setRows(next);
  }, []);

  /** Sends one row; the answer updates the row, and may bring the focus back to it. */
  const save = useCallback(
    (index: number, confirmedRollover: boolean) => {
      const row = rowsRef.current[index];
      if (!row) return;
      const draft = draftsRef.current[row.pointId] ?? emptyDraft();
      const registers = Object.fromEntries(Object.entries(draft.registers).filter(([, v]) => v));
      const readingDate = dateRef.current;
      const inputFor = (current: EntryRow): InputOf<'readings.save'> => ({
        period,
        pointId: current.pointId,
        kind: draft.kind,
        ...(draft.kind !== 'no_access' ? { value: draft.value || (current.reading?.value != null ? formatCenti(current.reading.value) : '') } : {}),
        ...(Object.keys(registers).length ? { registers } : {}),
        readingDate,
        reason: draft.reason,
        confirmedRollover,
        supersedes: current.reading?.id ?? null,
      });
      setMessage(row.pointId, { type: 'saving' });
      // Move on at once. Whatever the answer, the focus stays where the reader is: a refusal is
      // marked on its row and counted, never pulled back into (the next figure would land there).
      // Only the last row keeps the focus, having no next row to go to.
      requestFocus(index + 1);
      const flagAttention = () => beep();
      const previous = inFlight.current.get(row.pointId) ?? Promise.resolve();
      const sending = previous.then(async () => {
        const input = inputFor(rowsRef.current[index] ?? row);
        let outcome: EntryOutcome;
        try {
          outcome = await call('readings.save', input);
        } catch (error) {
          setMessage(row.pointId, { type: 'error', text: error instanceof ApiFailure ? error.message : String(error) });
          flagAttention();
          return;
        }
        if (outcome.outcome === 'saved') {
          const current = rowsRef.current[index] ?? row;
          replaceRow(index, { ...current, reading: outcome.reading, status: outcome.reading.status, corrections: current.corrections + (input.supersedes ? 1 : 0) });
          // Typed again meanwhile? Then that is kept; only what was saved is dropped.
          if (draftsRef.current[row.pointId] === draft) setDraft(row.pointId, null);
          setMessage(row.pointId, null);
        } else if (outcome.outcome === 'confirm') {
          setMessage(row.pointId, { type: 'confirm', consumption: outcome.consumption });
          flagAttention();
        } else {
          setMessage(row.pointId, { type: 'refused', errors: outcome.errors });
          flagAttention();
        }
      });
      inFlight.current.set(row.pointId, sending);
      void sending.finally(() => {
        if (inFlight.current.get(row.pointId) === sending) inFlight.current.delete(row.pointId);
      });
    },
    [period, replaceRow, requestFocus, setDraft, setMessage],
  );

  /** The focus goes to the next row needing attention after `from` (wrapping): its confirm button, else its 止码. */
  const jumpToAttention = useCallback(
    (from: number) => {
      const all = rowsRef.current;
      for (let step = 1; step <= all.length; step++) {
        const at = (from + step + all.length) % all.length;
        const m = messagesRef.current[all[at]?.pointId ?? ''];
        if (m && (m.type === 'refused' || m.type === 'error' || m.type === 'confirm')) {
          requestFocus(at, m.type === 'confirm' ? 'confirm' : 'value');
          return;
        }
      }
    },
    [requestFocus],
  );

  const handlers = useMemo<RowHandlers>(
    () => ({
      change(pointId, patch) {
        const current = draftsRef.current[pointId] ?? emptyDraft();
        setDraft(pointId, { ...current, ...patch });
        const message = messagesRef.current[pointId];
        if (message && message.type !== 'reason' && message.type !== 'saving') setMessage(pointId, null);
      },
      confirm(index) {
        save(index, true);
      },
      cancel(index) {
        const row = rowsRef.current[index];
        if (!row) return;
        const draft = draftsRef.current[row.pointId];
        if (messagesRef.current[row.pointId]?.type === 'reason' && draft) setDraft(row.pointId, { ...draft, kind: 'actual', reason: '' });
        setMessage(row.pointId, null);
        requestFocus(index);
      },
      key(index, field, event) {
        const row = rowsRef.current[index];
        if (!row) return;
        const draft = draftsRef.current[row.pointId] ?? emptyDraft();
        const message = messagesRef.current[row.pointId];
        const mark = (mode: 'estimated' | 'no_access') => {
          event.preventDefault();
          setDraft(row.pointId, { ...draft, kind: mode });
          setMessage(row.pointId, { type: 'reason', mode });
          requestFocus(index, 'reason');
        };
        if (event.altKey && (event.key === 'g' || event.key === 'G')) return mark('estimated');
        if (event.altKey && (event.key === 'w' || event.key === 'W')) return mark('no_access');
        if (event.altKey && (event.key === 'n' || event.key === 'N')) {
          event.preventDefault();
          jumpToAttention(index);
          return;
        }
        if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
          event.preventDefault();
          requestFocus(index + (event.key === 'ArrowDown' ? 1 : -1), field === 'reason' || field === 'confirm' ? 'value' : field);
          return;
        }
        if (event.key === 'Escape') {
          event.preventDefault();
          handlers.cancel(index);
          return;
        }
        if (event.key !== 'Enter' || field === 'confirm') return; // the confirm button's Enter is its click
        event.preventDefault();
        // Enter walks 止码 → each TOU register, then saves.
        const fields = fieldsOf(row);
        const at = fields.indexOf(field);
        if (at >= 0 && at < fields.length - 1 && draft.kind === 'actual') {
          requestFocus(index, fields[at + 1]);
          return;
        }
        // Nothing typed, or the saved reading typed again: nothing to save, move on.
        const saved = row.reading;
        const unchanged =
          saved !== null &&
          draft.kind === saved.kind &&
          (draft.value === '' || (saved.value !== null && draft.value === formatCenti(saved.value))) &&
          Object.entries(draft.registers).every(([name, v]) => !v || v === formatCenti(saved.registers?.[name as TouRegister] ?? -1));
        if (isBlank(draft) || unchanged) {
          if (unchanged) setDraft(row.pointId, null);
          setMessage(row.pointId, null);
          requestFocus(index + 1);
          return;
        }
        const needsReason = draft.kind !== 'actual' || row.reading !== null;
        if (needsReason && !draft.reason.trim()) {
          const mode = draft.kind !== 'actual' ? draft.kind : 'correct';
          setMessage(row.pointId, { type: 'reason', mode });
          requestFocus(index, 'reason');
          return;
        }
        if (message?.type === 'reason') setMessage(row.pointId, null);
        save(index, false);
      },
    }),
    [jumpToAttention, requestFocus, save, setDraft, setMessage],
  );

  const data = sheet.data;
  const entered = useMemo(() => rows.filter((r) => r.status !== 'not_entered').length, [rows]);
  const flagged = useMemo(() => rows.filter((r) => (r.reading?.flags.length ?? 0) > 0), [rows]);
  // Built when the rows change, not on every keystroke.
  const flaggedList = useMemo(
    () => (
      <section aria-label={t('entry.flaggedList')}>
        <h2>{t('entry.flaggedList')}</h2>
        {flagged.length === 0 ? <p className="muted">{t('entry.noFlags')}</p> : null}
        <ul className="flag-list">
          {flagged.map((row) => (
            <li key={row.pointId}>
              <button type="button" className="link" onClick={() => requestFocus(rowsRef.current.indexOf(row))}>
                {row.seq} {row.accountNo} {row.customerName}
              </button>
              ：{row.reading?.flags.map((f) => flagMessage(locale, f)).join('；')}
              <span className="muted"> （{t(`reading.status.${row.status}`)}）</span>
            </li>
          ))}
        </ul>
      </section>
    ),
    [flagged, locale, requestFocus, t],
  );
  const attention = rows.filter((r) => {
    const m = messages[r.pointId];
    return m && m.type !== 'saving' && m.type !== 'reason';
  });
  const showTou = useMemo(() => rows.some((r) => r.tou), [rows]);
  // The 分时 column is as wide as the meter with the most registers in the book needs (峰/平/谷 is
  // the common case; 尖峰 and 深谷 widen it), so no register hides behind "…" (issue 16 item 8).
  // Worked out when the rows change, not on each render a keystroke or a save answer makes.
  const registerWidth = useMemo(
    () => (showTou ? 14 + rows.reduce((most, r) => Math.max(most, r.registerNames.reduce((w, name) => w + registerSlot(t(`reading.span.${name}`)), 0)), 0) : 0),
    [rows, showTou, t],
  );
  const compact = useNarrowScreen();
  const canEnter = data?.canEnter ?? false;

  return (
    <Page
      title={data ? t('entry.title', { bookNo: data.book.bookNo, name: data.book.name, period }) : t('nav.readingEntry')}
      actions={
        <>
          <Link to={`/print/readings/sheet/${period}/${bookId}`}>{t('entry.printSheet')}</Link>
          <Link to="/readings">{t('common.back')}</Link>
        </>
      }
    >
      <ErrorBanner error={sheet.error} />
      {data ? (
        <>
          <div className="entry-head">
            <span>
              {t('entry.reader', { reader: data.book.readerName ?? t('common.none') })} · {t('entry.window', { date: data.scheduledDate, before: data.window.daysBefore, after: data.window.daysAfter })}
            </span>
            {canEnter ? (
              <span className="inline-field">
                <label htmlFor="entry-reading-date">{t('entry.readingDate')}</label>
                <AppDateInput
                  id="entry-reading-date"
                  value={readingDate}
                  max={data.today}
                  required
                  onChange={(value) => {
                    dateRef.current = value;
                    setReadingDate(value);
                    localStorage.setItem(`${key}.date`, value);
                  }}
                />
              </span>
            ) : null}
          </div>
          <div className="entry-progress" aria-live="polite">
            <ProgressBar done={entered} total={rows.length} label={t('entry.progress', { entered, due: rows.length })} />
            <span>{t('entry.progress', { entered, due: rows.length })}</span>
            <span>{t('entry.flaggedCount', { count: flagged.length })}</span>
            {/* In the progress line, not a banner above the grid: the grid never shifts under the reader. */}
            {attention.length > 0 ? (
              <span className="entry-attention error-text" role="alert">
                <strong>{t('entry.attentionCount', { count: attention.length })}</strong> {t('entry.attentionRows')}
                {attention.map((r) => (
                  <button key={r.pointId} type="button" className="link" onClick={() => jumpToAttention(rowsRef.current.indexOf(r) - 1)}>
                    {r.seq}
                  </button>
                ))}
                <span className="muted"> {t('entry.attentionJump')}</span>
              </span>
            ) : null}
          </div>
          {!canEnter ? <div className="banner banner-warn" role="status">{data.period.status === 'closed' ? t('entry.closed') : t('entry.notYourBook', { reader: data.book.readerName ?? t('common.none') })}</div> : null}
          {restored > 0 ? <Notice>{t('entry.restored', { count: restored })}</Notice> : null}
          {canEnter ? <p className="muted keys">{t('entry.keys')}</p> : null}
          <datalist id="reasons-estimated">
            {(['entry.reasons.locked', 'entry.reasons.dog', 'entry.reasons.damaged', 'entry.reasons.weather'] as const).map((k) => (
              <option key={k} value={t(k)} />
            ))}
          </datalist>
          <datalist id="reasons-no_access">
            {(['entry.reasons.locked', 'entry.reasons.nobody', 'entry.reasons.dog', 'entry.reasons.weather'] as const).map((k) => (
              <option key={k} value={t(k)} />
            ))}
          </datalist>
          <datalist id="reasons-correct">
            {(['entry.reasons.typo', 'entry.reasons.misread'] as const).map((k) => (
              <option key={k} value={t(k)} />
            ))}
          </datalist>
          {/* Any focus in the grid settles a focus still waiting for its row. */}
          <div className="entry-scroll" ref={scrollBox} onScroll={onScroll} onFocusCapture={() => (pendingFocus.current = null)}>
          <table className="table entry-grid" aria-label={t('entry.gridLabel')} aria-rowcount={rows.length + 1}>
            {/* Fixed column widths: a cell changing (typing, a save) never re-lays out 800 rows. */}
            {/* 1366 px: every column; below 1280 px two stacked cells make room for the registers and the status. */}
            <colgroup>
              <col className="c-seq" />
              {compact ? (
                <col className="c-customer" />
              ) : (
                <>
                  <col className="c-account" />
                  <col className="c-name" />
                  <col className="c-address" />
                </>
              )}
              {compact ? (
                <col className="c-meter-previous" />
              ) : (
                <>
                  <col className="c-meter" />
                  <col className="c-previous" />
                </>
              )}
              <col className="c-current" />
              {showTou ? <col className="c-tou" style={{ width: registerWidth }} /> : null}
              <col className="c-kwh" />
              <col className={compact ? undefined : 'c-status'} />
            </colgroup>
            <thead>
              <tr>
                <th>{t('entry.seq')}</th>
                {compact ? (
                  <th className="stack">
                    <span>{t('import.column.account')}</span>
                    <span>{t('import.column.name')}</span>
                  </th>
                ) : (
                  <>
                    <th>{t('import.column.account')}</th>
                    <th>{t('import.column.name')}</th>
                    <th>{t('import.column.address')}</th>
                  </>
                )}
                {compact ? (
                  <th className="stack">
                    <span>{t('import.column.meter')}</span>
                    <span>{t('import.column.previous')}</span>
                  </th>
                ) : (
                  <>
                    <th>{t('import.column.meter')}</th>
                    <th>{t('import.column.previous')}</th>
                  </>
                )}
                <th>{t('entry.current')}</th>
                {showTou ? <th>{t('entry.registers')}</th> : null}
                <th>{t('entry.consumption')}</th>
                <th>{t('common.status')}</th>
              </tr>
            </thead>
            <tbody>
              {firstShown > 0 ? <tr aria-hidden="true" style={{ height: firstShown * ROW_HEIGHT }} /> : null}
              {rows.slice(firstShown, firstShown + shownCount).map((row, offset) => (
                <EntryRowView
                  key={row.pointId}
                  row={row}
                  index={firstShown + offset}
                  draft={drafts[row.pointId]}
                  message={messages[row.pointId]}
                  canEnter={canEnter}
                  showTou={showTou}
                  compact={compact}
                  handlers={handlers}
                />
              ))}
              {firstShown + shownCount < rows.length ? <tr aria-hidden="true" style={{ height: (rows.length - firstShown - shownCount) * ROW_HEIGHT }} /> : null}
            </tbody>
          </table>
          </div>
          {flaggedList}
        </>
      ) : null}
    </Page>
  );
}
