import type { ServiceOrderRow } from '../../shared/contract';
import { shanghaiDateTime } from '../../shared/time';
import type { MessageKey } from '../../shared/i18n';

export const when = (ms: number | null | undefined) => (ms === null || ms === undefined ? '—' : shanghaiDateTime(ms).slice(0, 16));

export function StatusCell({ t, status }: { t: (k: MessageKey) => string; status: ServiceOrderRow['status'] }) {
  return <span className={`service-status-${status}`}>{t(`service.status.${status}` as MessageKey)}</span>;
}
