import type { AppraisalDrill, AppraisalVersion } from '../../shared/contract';
import type { MessageKey } from '../../shared/i18n';
import { formatTime, formatYuan } from '../ui/format';
import { kpiName, kpiText, pts, type T } from './common';

/** The items of a version: area, item, standard, points, the data behind it, the score. */
export function ItemsTable({ t, version, fullScore, onDrill, showStandard = false }: { t: T; version: AppraisalVersion; fullScore: number; onDrill?: (kpi: string) => void; showStandard?: boolean }) {
  return (
    <table className="table appraisal-items" aria-label={t('appraisal.item')}>
      <thead>
        <tr>
          <th>{t('appraisal.area')}</th>
          <th>{t('appraisal.item')}</th>
          {showStandard ? <th>{t('appraisal.standard')}</th> : null}
          <th className="num">{t('appraisal.points')}</th>
          <th>{t('appraisal.data')}</th>
          <th className="num">{t('appraisal.score')}</th>
        </tr>
      </thead>
      <tbody>
        {version.items.map((i) => (
          <tr key={i.itemId}>
            <td>{i.areaName}</td>
            <td>
              {i.itemId} {i.name}
            </td>
            {showStandard ? <td className="small">{i.standard}</td> : null}
            <td className="num">{i.points}</td>
            <td>
              {onDrill && i.kpi && i.data && (i.data.value !== null || i.data.denominator) ? (
                <button type="button" className="link" onClick={() => onDrill(i.kpi!)} aria-label={`${kpiName(t, i.kpi)} ${t('appraisal.drill')}`}>
                  {kpiName(t, i.kpi)}：{kpiText(t, i.data)}
                </button>
              ) : (
                <span>{i.kpi ? `${kpiName(t, i.kpi)}：` : ''}{kpiText(t, i.data)}</span>
              )}
            </td>
            <td className="num">{i.scoreCenti === null ? t('appraisal.notMeasured') : pts(i.scoreCenti)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th colSpan={showStandard ? 5 : 4}>{t('appraisal.itemsSubtotal')}</th>
          <td className="num">{pts(version.itemsCenti)}</td>
        </tr>
        <tr>
          <th colSpan={showStandard ? 5 : 4}>{t('appraisal.adjustments')}</th>
          <td className="num">{pts(version.adjustmentsCenti)}</td>
        </tr>
        <tr>
          <th colSpan={showStandard ? 5 : 4}>
            {t('appraisal.total')}（{t('appraisal.fullScore')} {fullScore}）
          </th>
          <td className="num">
            <strong>{pts(version.totalCenti)}</strong>
          </td>
        </tr>
      </tfoot>
    </table>
  );
}

/** The head's points with their reasons. */
export function EntriesTable({ t, version }: { t: T; version: AppraisalVersion }) {
  if (!version.entries.length) return <p className="muted">{t('appraisal.entries.empty')}</p>;
  return (
    <table className="table" aria-label={t('appraisal.entries')}>
      <thead>
        <tr>
          <th>{t('appraisal.entry.item')}</th>
          <th className="num">{t('appraisal.entry.points')}</th>
          <th>{t('appraisal.entry.reason')}</th>
          <th>{t('appraisal.entry.by')}</th>
          <th>{t('appraisal.entry.at')}</th>
        </tr>
      </thead>
      <tbody>
        {version.entries.map((e) => (
          <tr key={e.id}>
            <td>{e.itemName ?? t('appraisal.entry.general')}</td>
            <td className="num">{e.pointsCenti > 0 ? '+' : ''}{pts(e.pointsCenti)}</td>
            <td>{e.reason}</td>
            <td>{e.by}</td>
            <td className="nowrap">{formatTime(e.at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Responses({ t, version }: { t: T; version: AppraisalVersion }) {
  return (
    <>
      {version.responses.map((r) => (
        <p key={r.at} className={`appraisal-response ${r.kind}`}>
          {t(`appraisal.response.${r.kind}`, { by: r.by, at: formatTime(r.at), note: r.note })}
        </p>
      ))}
    </>
  );
}

/** The rows behind a KPI, in the columns the back end names. */
export function DrillTable({ t, drill }: { t: T; drill: AppraisalDrill }) {
  const cell = (value: string | number | null, kind: string) => {
    if (value === null) return '';
    if (kind === 'fen') return formatYuan(Number(value));
    if (kind === 'time') return formatTime(Number(value));
    if (typeof value === 'string' && ['actual', 'estimated', 'no_access', 'not_entered', 'yes', 'no', 'pending', 'approved', 'rejected'].includes(value)) return t(`appraisal.drill.value.${value}` as MessageKey);
    return String(value);
  };
  return (
    <>
      <table className="table" aria-label={t('appraisal.drill.title', { kpi: kpiName(t, drill.kpi), total: drill.total })}>
        <thead>
          <tr>
            {drill.columns.map((c) => (
              <th key={c.key} className={c.kind === 'fen' || c.kind === 'number' ? 'num' : ''}>
                {t(c.key as MessageKey)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {drill.rows.map((row, i) => (
            <tr key={i}>
              {row.map((v, j) => (
                <td key={j} className={drill.columns[j]?.kind === 'fen' || drill.columns[j]?.kind === 'number' ? 'num' : ''}>
                  {cell(v, drill.columns[j]?.kind ?? 'text')}
                </td>
              ))}
            </tr>
          ))}
          {drill.rows.length === 0 ? (
            <tr>
              <td colSpan={drill.columns.length} className="muted">
                {t('appraisal.drill.empty')}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {drill.truncated ? <p className="muted">{t('appraisal.drill.truncated', { shown: drill.rows.length })}</p> : null}
    </>
  );
}
