import { useEffect, useId, useRef, useState, type FocusEvent, type KeyboardEvent, type ReactNode } from 'react';
import { calendarDays, formatDateText, isWholeDateText, MONTH_NAMES_EN, outOfRange, parseDateText, type DateKind } from '../../shared/dates/dateText';
import { translate, type Locale, type MessageKey, type MessageParams } from '../../shared/i18n';
import { addDays, addMonths, shanghaiDate } from '../../shared/time';

// The date and month field of every screen (issue 16 item 14). The browser's own pickers follow
// the operating system's locale ("12/05/2026" on a Chinese screen); this one shows and reads the
// date in the app's language (rules in shared/dates/dateText.ts), with a calendar labelled in it.
//
// Keys in the field: type the date (2026-12-05, 2026/12/5, 20261205, 2026年12月5日; months
// 2026-12, 2026年12月, Dec 2026); ↑/↓ a day (a month) earlier or later; Alt+↓ or F4 opens the
// calendar; Esc drops what was typed. A complete, valid date is taken as it is typed (as the
// browser's date input did, so a filter follows at once); what is not a date is refused with a
// message when the field is left or Enter is pressed, and the value stays what it was.
// In the calendar: arrows move, PageUp/PageDown a month (a year for months), Enter picks, Esc
// closes and returns to the field. The calendar button is skipped by Tab, so a form's Tab order
// is the same as before.

export interface DateInputProps {
  kind?: DateKind;
  /** 'YYYY-MM-DD' (date) or 'YYYY-MM' (month), '' for none. */
  value: string;
  onChange(value: string): void;
  locale: Locale;
  id?: string;
  name?: string;
  min?: string;
  max?: string;
  required?: boolean;
  autoFocus?: boolean;
  disabled?: boolean;
  'aria-label'?: string;
  'aria-describedby'?: string;
  /** A message from outside (the server refused the field): shown as the field's error. */
  invalid?: boolean;
}

const today = () => shanghaiDate(Date.now());
const MONTH_COLUMNS = 3;

export function DateInput({ kind = 'date', value, onChange, locale, id, name, min, max, required, autoFocus, disabled, invalid, ...aria }: DateInputProps) {
  const t = (key: MessageKey, params?: MessageParams) => translate(locale, key, params);
  const auto = useId();
  const inputId = id ?? `${auto}-input`;
  const errorId = `${auto}-error`;
  const [text, setText] = useState(() => formatDateText(value, kind, locale));
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const wrapperRef = useRef<HTMLSpanElement>(null);

  // The value set from outside (or by a pick) is shown in the app's form.
  useEffect(() => {
    setText((typed) => {
      const parsed = parseDateText(typed, kind);
      return parsed.ok && parsed.value === value && document.activeElement === inputRef.current ? typed : formatDateText(value, kind, locale);
    });
  }, [value, kind, locale]);

  function refusal(typed: string): { message: string } | { value: string } {
    const parsed = parseDateText(typed, kind);
    if (!parsed.ok) return { message: t(kind === 'month' ? 'date.invalidMonth' : 'date.invalid', { text: typed.trim() }) };
    const range = outOfRange(parsed.value, min, max);
    if (range === 'early') return { message: t('date.tooEarly', { min: formatDateText(min ?? '', kind, locale) }) };
    if (range === 'late') return { message: t('date.tooLate', { max: formatDateText(max ?? '', kind, locale) }) };
    return { value: parsed.value };
  }

  /** Takes what is typed, or refuses it with a message (the value stays). Returns whether it was taken. */
  function commit(typed = text): boolean {
    const outcome = refusal(typed);
    if ('message' in outcome) {
      setError(outcome.message);
      return false;
    }
    setError(null);
    setText(formatDateText(outcome.value, kind, locale));
    if (outcome.value !== value) onChange(outcome.value);
    return true;
  }

  function pick(next: string) {
    setOpen(false);
    setError(null);
    setText(formatDateText(next, kind, locale));
    if (next !== value) onChange(next);
    inputRef.current?.focus();
  }

  function step(by: number) {
    const parsed = parseDateText(text, kind);
    const base = parsed.ok && parsed.value ? parsed.value : value || (kind === 'month' ? today().slice(0, 7) : today());
    const next = kind === 'month' ? addMonths(base, by) : addDays(base, by);
    if (outOfRange(next, min, max)) return;
    pick(next);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if ((event.altKey && event.key === 'ArrowDown') || event.key === 'F4') {
      event.preventDefault();
      setOpen(true);
    } else if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      event.preventDefault();
      step(event.key === 'ArrowUp' ? 1 : -1);
    } else if (event.key === 'Enter') {
      // A refused date keeps Enter from submitting the form with the old value.
      if (!commit()) event.preventDefault();
    } else if (event.key === 'Escape') {
      const shown = formatDateText(value, kind, locale);
      if (text !== shown || error) {
        // Esc first drops what was typed; a second Esc is the screen's (closing a dialog).
        event.preventDefault();
        event.stopPropagation();
        setText(shown);
        setError(null);
      }
    }
  }

  function onBlur(event: FocusEvent<HTMLSpanElement>) {
    if (wrapperRef.current?.contains(event.relatedTarget as Node | null)) return;
    setOpen(false);
    commit();
  }

  const shownError = error;
  return (
    <span className={`date-input${shownError || invalid ? ' date-input-error' : ''}`} ref={wrapperRef} onBlur={onBlur}>
      <span className="date-input-box">
        <input
          ref={inputRef}
          id={inputId}
          name={name}
          type="text"
          autoComplete="off"
          spellCheck={false}
          value={text}
          placeholder={t(kind === 'month' ? 'date.monthPlaceholder' : 'date.placeholder')}
          required={required}
          autoFocus={autoFocus}
          disabled={disabled}
          aria-invalid={shownError || invalid ? true : undefined}
          aria-describedby={[aria['aria-describedby'], shownError ? errorId : null].filter(Boolean).join(' ') || undefined}
          aria-label={aria['aria-label']}
          aria-haspopup="dialog"
          aria-expanded={open}
          data-kind={kind}
          onChange={(e) => {
            const typed = e.target.value;
            setText(typed);
            setError(null);
            // A whole date is taken as it is typed (a filter follows at once, as before); a part
            // of one waits for Enter or leaving the field.
            if (!isWholeDateText(typed, kind)) return;
            const outcome = refusal(typed);
            if ('value' in outcome && outcome.value !== value) onChange(outcome.value);
          }}
          onKeyDown={onKeyDown}
        />
        <button type="button" className="date-input-button" tabIndex={-1} disabled={disabled} aria-label={t(kind === 'month' ? 'date.openMonths' : 'date.openCalendar')} title={`${t(kind === 'month' ? 'date.openMonths' : 'date.openCalendar')} (Alt+↓)`} onClick={() => setOpen((o) => !o)}>
          <CalendarIcon />
        </button>
      </span>
      {open ? (
        kind === 'month' ? (
          <MonthPopup locale={locale} value={value} min={min} max={max} onPick={pick} onClose={() => (setOpen(false), inputRef.current?.focus())} />
        ) : (
          <DayPopup locale={locale} value={value} min={min} max={max} onPick={pick} onClose={() => (setOpen(false), inputRef.current?.focus())} />
        )
      ) : null}
      {shownError ? (
        <small id={errorId} className="error-text date-input-message" role="alert">
          {shownError}
        </small>
      ) : null}
    </span>
  );
}

interface PopupProps {
  locale: Locale;
  value: string;
  min: string | undefined;
  max: string | undefined;
  onPick(value: string): void;
  onClose(): void;
}

function monthTitle(locale: Locale, period: string): string {
  const month = Number(period.slice(5, 7));
  return translate(locale, 'date.monthTitle', { year: period.slice(0, 4), month: locale === 'en' ? MONTH_NAMES_EN[month - 1]! : month });
}

function DayPopup({ locale, value, min, max, onPick, onClose }: PopupProps) {
  const t = (key: MessageKey, params?: MessageParams) => translate(locale, key, params);
  const [active, setActive] = useState(() => value || (max && today() > max ? max : today()));
  const gridRef = useRef<HTMLTableElement>(null);
  const period = active.slice(0, 7);
  const weekdays = t('date.weekdays').split(',');
  const days = calendarDays(period);
  const weeks: (string | null)[][] = [];
  for (let i = 0; i < days.length; i += 7) weeks.push(days.slice(i, i + 7));
  const allowed = (day: string) => !outOfRange(day, min, max);

  useEffect(() => {
    gridRef.current?.querySelector<HTMLButtonElement>(`[data-day="${active}"]`)?.focus();
  }, [active]);

  function move(event: KeyboardEvent) {
    const moves: Record<string, () => string> = {
      ArrowLeft: () => addDays(active, -1),
      ArrowRight: () => addDays(active, 1),
      ArrowUp: () => addDays(active, -7),
      ArrowDown: () => addDays(active, 7),
      PageUp: () => shiftMonth(active, event.shiftKey ? -12 : -1),
      PageDown: () => shiftMonth(active, event.shiftKey ? 12 : 1),
    };
    const next = moves[event.key];
    if (next) {
      event.preventDefault();
      setActive(next());
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
    }
  }

  const label = (day: string) => {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
    const enWeekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
    return locale === 'en'
      ? t('date.dayLabel', { year: y, month: MONTH_NAMES_EN[m - 1]!, day: d, weekday: enWeekdays[weekday]! })
      : t('date.dayLabel', { year: y, month: m, day: d, weekday: weekdays[weekday]! });
  };

  return (
    <div className="date-popup" role="dialog" aria-label={t('date.calendar')} onKeyDown={move}>
      <PopupHeader
        title={monthTitle(locale, period)}
        prev={[t('date.prevYear'), () => setActive(shiftMonth(active, -12)), t('date.prevMonth'), () => setActive(shiftMonth(active, -1))]}
        next={[t('date.nextMonth'), () => setActive(shiftMonth(active, 1)), t('date.nextYear'), () => setActive(shiftMonth(active, 12))]}
      />
      <table className="date-grid" role="grid" aria-label={monthTitle(locale, period)} ref={gridRef}>
        <thead>
          <tr>
            {weekdays.map((w) => (
              <th key={w} scope="col">
                {w}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr key={week.find(Boolean) ?? ''}>
              {Array.from({ length: 7 }, (_, i) => week[i] ?? null).map((day, i) =>
                day ? (
                  <td key={day} role="gridcell" aria-selected={day === value}>
                    <button
                      type="button"
                      data-day={day}
                      tabIndex={day === active ? 0 : -1}
                      aria-label={label(day)}
                      className={`${day === value ? 'chosen' : ''}${day === today() ? ' today' : ''}`}
                      disabled={!allowed(day)}
                      onClick={() => onPick(day)}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter' || e.key === ' ') {
                          e.preventDefault();
                          if (allowed(day)) onPick(day);
                        }
                      }}
                    >
                      {Number(day.slice(8))}
                    </button>
                  </td>
                ) : (
                  <td key={`blank-${i}`} />
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="date-popup-foot">
        <button type="button" disabled={!allowed(today())} onClick={() => onPick(today())}>
          {t('date.today')}
        </button>
        <small className="muted">{t('date.keys')}</small>
      </div>
    </div>
  );
}

function MonthPopup({ locale, value, min, max, onPick, onClose }: PopupProps) {
  const t = (key: MessageKey, params?: MessageParams) => translate(locale, key, params);
  const thisMonth = today().slice(0, 7);
  const [active, setActive] = useState(() => value || thisMonth);
  const gridRef = useRef<HTMLDivElement>(null);
  const year = active.slice(0, 4);
  const allowed = (period: string) => !outOfRange(period, min?.slice(0, 7), max?.slice(0, 7));

  useEffect(() => {
    gridRef.current?.querySelector<HTMLButtonElement>(`[data-month="${active}"]`)?.focus();
  }, [active]);

  function move(event: KeyboardEvent) {
    const by: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -MONTH_COLUMNS, ArrowDown: MONTH_COLUMNS, PageUp: -12, PageDown: 12 };
    const step = by[event.key];
    if (step !== undefined) {
      event.preventDefault();
      setActive(addMonths(active, step));
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
    }
  }

  return (
    <div className="date-popup" role="dialog" aria-label={t('date.monthPicker')} onKeyDown={move}>
      <PopupHeader title={t('date.yearTitle', { year })} prev={[t('date.prevYear'), () => setActive(addMonths(active, -12))]} next={[t('date.nextYear'), () => setActive(addMonths(active, 12))]} />
      <div className="month-grid" role="grid" aria-label={t('date.yearTitle', { year })} ref={gridRef}>
        {Array.from({ length: 12 / MONTH_COLUMNS }, (_, row) => (
          <div role="row" key={row}>
            {Array.from({ length: MONTH_COLUMNS }, (_, col) => {
              const month = row * MONTH_COLUMNS + col + 1;
              const period = `${year}-${String(month).padStart(2, '0')}`;
              return (
                <span role="gridcell" key={period} aria-selected={period === value}>
                  <button
                    type="button"
                    data-month={period}
                    tabIndex={period === active ? 0 : -1}
                    aria-label={monthTitle(locale, period)}
                    className={`${period === value ? 'chosen' : ''}${period === thisMonth ? ' today' : ''}`}
                    disabled={!allowed(period)}
                    onClick={() => onPick(period)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter' || e.key === ' ') {
                        e.preventDefault();
                        if (allowed(period)) onPick(period);
                      }
                    }}
                  >
                    {t('date.monthShort', { month: locale === 'en' ? MONTH_NAMES_EN[month - 1]!.slice(0, 3) : month })}
                  </button>
                </span>
              );
            })}
          </div>
        ))}
      </div>
      <div className="date-popup-foot">
        <button type="button" disabled={!allowed(thisMonth)} onClick={() => onPick(thisMonth)}>
          {t('date.thisMonth')}
        </button>
        <small className="muted">{t('date.monthKeys')}</small>
      </div>
    </div>
  );
}

/** ‹ title › with «/» for a year when four actions are given. */
function PopupHeader({ title, prev, next }: { title: string; prev: (string | (() => void))[]; next: (string | (() => void))[] }) {
  const buttons = (list: (string | (() => void))[], glyphs: string[]) => {
    const out: ReactNode[] = [];
    for (let i = 0; i < list.length; i += 2)
      out.push(
        <button key={list[i] as string} type="button" tabIndex={-1} aria-label={list[i] as string} title={list[i] as string} onClick={list[i + 1] as () => void}>
          {glyphs[i / 2]}
        </button>,
      );
    return out;
  };
  return (
    <div className="date-popup-head">
      {buttons(prev, prev.length > 2 ? ['«', '‹'] : ['‹'])}
      <strong aria-live="polite">{title}</strong>
      {buttons(next, next.length > 2 ? ['›', '»'] : ['›'])}
    </div>
  );
}

function shiftMonth(day: string, months: number): string {
  const period = addMonths(day.slice(0, 7), months);
  const last = calendarDays(period).filter(Boolean).length;
  return `${period}-${String(Math.min(Number(day.slice(8)), last)).padStart(2, '0')}`;
}

function CalendarIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <rect x="1.5" y="2.5" width="13" height="12" rx="1.5" fill="none" stroke="currentColor" />
      <path d="M1.5 6h13M5 1v3M11 1v3" stroke="currentColor" fill="none" />
    </svg>
  );
}
