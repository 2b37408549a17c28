import { Link } from 'react-router';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';

// 受理工单 beside the customer found at the counter: a walk-in's complaint, request or repair is
// logged on the orders screen with the account already filled in.
export function CounterOrderLink({ accountNo }: { accountNo: string }) {
  const { t } = useI18n();
  const { can } = useSession();
  if (!can('service.log')) return null;
  return (
    <Link className="service-counter-order" to={`/service/orders?account=${encodeURIComponent(accountNo)}`}>
      {t('service.orders.new')}
    </Link>
  );
}
