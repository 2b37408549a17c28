import { useState, type FormEvent, type RefObject } from 'react';
import { call } from '../api/client';
import { useI18n } from '../app/i18n';
import type { ApiError } from '../../shared/errors';
import { ErrorBanner, Field } from '../ui/widgets';
import { ApiFailure } from '../api/client';

/**
 * Finds the customer at the counter by account number (户号). Stands in for the customer files'
 * search box until that desk is on main; the counter only needs `onSelect(customerId)`.
 */
export function CustomerFinder({ onSelect, inputRef }: { onSelect(customerId: string): void; inputRef: RefObject<HTMLInputElement | null> }) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const [error, setError] = useState<ApiError>();
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!query.trim()) return;
    try {
      const found = await call('collection.balance', { accountNo: query.trim() });
      setError(undefined);
      onSelect(found.customer.id);
    } catch (e) {
      setError(e instanceof ApiFailure ? e.error : { code: 'internal', message: String(e) });
    }
  }
  return (
    <form className="counter-finder" role="search" onSubmit={submit}>
      <Field label={t('collection.findCustomer')} ref={inputRef} value={query} onChange={(e) => setQuery(e.target.value)} autoFocus autoComplete="off" />
      <ErrorBanner error={error} />
    </form>
  );
}
