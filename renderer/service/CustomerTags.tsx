import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import type { MessageKey } from '../../shared/i18n';
import './service.css';

// A customer's tags at a glance (客户标签): the month's segments and the manual tags, and a
// warning when a disconnection needs the head's approval. Shown on the counter screen.
export function CustomerTags({ accountNo }: { accountNo: string }) {
  const { t } = useI18n();
  const { can } = useSession();
  const tags = useQuery('service.tags.get', { accountNo }, { enabled: can('customers.read') && accountNo !== '' });
  if (!tags.data) return null;
  const codes = [...tags.data.computed, ...tags.data.manual.map((m) => m.code)];
  return (
    <div className="service-tags" aria-label={t('service.tags.title')}>
      {codes.length === 0 ? <span className="muted">{t('service.tags.none')}</span> : null}
      {codes.map((c) => (
        <span key={c} className="service-tag" title={tags.data?.manual.find((m) => m.code === c)?.reason}>
          {t(`service.segment.${c}` as MessageKey)}
        </span>
      ))}
      {tags.data.needsHeadApproval ? <span className="service-tag protected">{t('service.tags.protected')}</span> : null}
    </div>
  );
}
