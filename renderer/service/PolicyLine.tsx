import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';

// The service policy in force (服务政策), in one line on the service screens: today's time limits
// and the month's segment rules, each the built-in baseline or head office's version of a day.

export function PolicyLine({ period, show = 'both' }: { period?: string; show?: 'both' | 'limits' | 'segments' }) {
  const { t } = useI18n();
  const policy = useQuery('service.policy', period ? { period } : {});
  const p = policy.data;
  if (!p) return null;
  const name = (version: string, builtIn: boolean) => (builtIn ? t('service.policy.builtIn', { version }) : t('service.policy.fromHq', { version }));
  return (
    <p className="muted service-policy-line" data-testid="service-policy">
      {show !== 'segments' ? t('service.policy.limitsInForce', { version: name(p.limits.version, p.limits.builtIn) }) : null}
      {show === 'both' ? ' · ' : null}
      {show !== 'limits' ? t('service.policy.rulesInForce', { period: p.segments.period, version: name(p.segments.version, p.segments.builtIn) }) : null}
    </p>
  );
}
