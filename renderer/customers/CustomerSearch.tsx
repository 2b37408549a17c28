import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { SearchHit } from '../../shared/contract';
import { call } from '../api/client';
import { useI18n } from '../app/i18n';
import './customers.css';

/**
 * The one search box (查找客户): type an account number, a name or part of one, pinyin initials,
 * the last 4+ digits of a phone, a meter number or address words; ↑/↓ move through the ranked
 * hits and Enter picks one (the first if none is highlighted). Any screen embeds it — the
 * customer list opens the file, the counter screen takes the payment — through `onSelect`.
 */
export function CustomerSearch({
  onSelect,
  autoFocus = false,
  label,
  limit = 20,
  clearOnSelect = false,
}: {
  onSelect(hit: SearchHit): void;
  autoFocus?: boolean;
  /** Defaults to 查找客户. */
  label?: string;
  limit?: number;
  clearOnSelect?: boolean;
}) {
  const { t } = useI18n();
  const id = useId();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [searched, setSearched] = useState('');
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const latest = useRef('');
  /** Enter pressed before the answer to the typed text came: pick the best hit when it comes. */
  const enterPending = useRef(false);
  const listRef = useRef<HTMLUListElement>(null);
  // Closing the list a moment after the box loses the focus (a click on a hit lands first); the
  // box focused again meanwhile (the counter's Esc, then typing) keeps it open.
  const blurTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    const q = query.trim();
    latest.current = q;
    if (!q) {
      setHits([]);
      setSearched('');
      return;
    }
    // A short pause while typing; answers to older text are dropped.
    const timer = setTimeout(() => {
      call('customers.search', { query: q, limit }).then(
        ({ hits: found }) => {
          if (latest.current !== q) return;
          setHits(found);
          setSearched(q);
          setActive(found.length ? 0 : -1);
          setOpen(true);
          if (enterPending.current) {
            enterPending.current = false;
            choose(found[0]);
          }
        },
        () => {},
      );
    }, 120);
    return () => clearTimeout(timer);
  }, [query, limit]);

  useEffect(() => {
    listRef.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  function choose(hit: SearchHit | undefined) {
    if (!hit) return;
    setOpen(false);
    if (clearOnSelect) setQuery('');
    onSelect(hit);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(hits.length - 1, a + 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      // Enter on text not yet searched waits for its answer rather than picking a stale hit.
      if (searched === query.trim()) choose(hits[Math.max(0, active)]);
      else enterPending.current = query.trim() !== '';
    } else if (event.key === 'Escape') {
      setOpen(false);
    }
  }

  const listId = `${id}-hits`;
  const showList = open && searched !== '' && query.trim() !== '';
  return (
    <div className="customer-search">
      <label htmlFor={id}>{label ?? t('customers.search')}</label>
      <input
        id={id}
        type="search"
        role="combobox"
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={showList && active >= 0 ? `${id}-hit-${active}` : undefined}
        placeholder={t('customers.searchHint')}
        value={query}
        autoFocus={autoFocus}
        autoComplete="off"
        onChange={(e) => {
          enterPending.current = false;
          setQuery(e.target.value);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        onFocus={() => {
          clearTimeout(blurTimer.current);
          setOpen(true);
        }}
        onBlur={() => {
          clearTimeout(blurTimer.current);
          blurTimer.current = setTimeout(() => setOpen(false), 150);
        }}
      />
      {showList ? (
        <ul id={listId} role="listbox" aria-label={t('customers.searchResults')} className="search-hits" ref={listRef}>
          {hits.length === 0 ? <li className="muted">{t('customers.noHits')}</li> : null}
          {hits.map((hit, i) => (
            <li
              key={hit.id}
              id={`${id}-hit-${i}`}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(hit)}
              onMouseEnter={() => setActive(i)}
            >
              <span className="mono">{hit.accountNo}</span>
              <strong>{hit.name}</strong>
              <span>{hit.phone}</span>
              <span className="muted">{hit.address}</span>
              <span className="mono">{hit.meterNos.join(' ')}</span>
              {hit.status !== 'active' ? <span className={`status status-${hit.status}`}>{t(`customers.status.${hit.status}`)}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
