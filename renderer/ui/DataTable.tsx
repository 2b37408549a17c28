import { useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import { createColumnHelper, createSortedRowModel, rowSortingFeature, tableFeatures, useTable, type Row, type RowData } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { formatCenti } from '../../shared/money';
import { ApiFailure, call } from '../api/client';
import { useI18n } from '../app/i18n';
import { saveFile } from '../customers/download';
import { formatDate, formatQuantity, formatTime, formatYuan } from './format';
import './DataTable.css';

// The one screen table (共用表格, issue 16 item 4). Every list on a screen is drawn by it, so they
// all behave alike: amounts and quantities right-aligned in tabular figures, a header that stays
// in view while the list scrolls, a row count, an empty state and an .xlsx export of the rows as
// shown, in the user's language. TanStack Table keeps the rows and their sort; TanStack Virtual
// draws only the rows in view once a list is long. Printed documents (A4 layouts) keep their
// own tables.

/**
 * What a column holds, which decides alignment, formatting, sorting and the export cell:
 * money: integer fen (¥1,234.56; exported as yuan numbers with two decimals);
 * quantity: hundredths (kWh, registers: 47477.20; exported as numbers);
 * number: a plain count; date: 'YYYY-MM-DD' text or epoch ms; time: epoch ms (Shanghai time).
 */
export type ColumnKind = 'text' | 'money' | 'quantity' | 'number' | 'date' | 'time';
export type CellValue = string | number | null | undefined;

export interface Column<T> {
  id: string;
  header: string;
  kind?: ColumnKind;
  /** The cell's value: what is sorted and exported, and shown when there is no `render`. */
  value?: (row: T) => CellValue;
  /** The cell's content when it is more than its value (a link, a badge, buttons). */
  render?: (row: T) => ReactNode;
  /** Class of the column's cells ('mono', 'nowrap', 'actions'…). */
  className?: string;
  /** A figure for the totals row (合计), in the column's kind (fen for money). */
  total?: number;
  /** Or any content for the totals row. */
  footer?: ReactNode;
  /** false: not in the export (buttons). Columns without a value are never exported. */
  exported?: boolean;
  /** false: the header does not sort (default: sortable when the column has a value). */
  sortable?: boolean;
  /** Width of the exported column in characters. */
  width?: number;
}

export interface DataTableProps<T> {
  /** The rows; undefined while they load. */
  rows: readonly T[] | undefined;
  columns: readonly Column<T>[];
  rowKey: (row: T, index: number) => string;
  /** The table's accessible name (aria-label), and the export's sheet name. */
  label: string;
  /** The export's file name (without .xlsx) in the user's language; no export button without it. */
  exportName?: string;
  /** Opens a row: click, or Enter on the focused row. */
  onActivate?: (row: T) => void;
  rowClassName?: (row: T) => string | undefined;
  /** What an empty list says (default: 没有记录 / Nothing to show). */
  empty?: ReactNode;
  /** The list's full size when the rows are one page of it (共 N 条 counts the list, not the page). */
  total?: number;
  /** false: no row count line (a short table inside a file, such as a bill's lines). */
  counted?: boolean;
  /** Extra class of the <table> (desks' own column widths). */
  className?: string;
  /** Content beside the row count (page buttons, a note). */
  toolbar?: ReactNode;
  /** false: headers do not sort (a short list on the counter, where Tab must not stop on headers). */
  sorting?: boolean;
  /** Longest height of the scrolling list before it scrolls on its own (CSS length). */
  maxHeight?: string;
}

/** Lists longer than this draw only the rows in view; shorter ones keep every row in the page (find in page, tests). */
export const VIRTUAL_THRESHOLD = 300;
const ROW_ESTIMATE = 33;

const NUMERIC: ReadonlySet<ColumnKind> = new Set(['money', 'quantity', 'number']);

const features = tableFeatures({ rowSortingFeature, sortedRowModel: createSortedRowModel() });

function compareValues(a: CellValue, b: CellValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  // Account and receipt numbers sort by their digits; names in pinyin order.
  return String(a ?? '').localeCompare(String(b ?? ''), 'zh-CN', { numeric: true });
}

/** A value as the cell shows it (money with ¥ and separators, quantities with two decimals). */
export function formatCell(kind: ColumnKind, value: CellValue): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'string') return value;
  switch (kind) {
    case 'money':
      return formatYuan(value);
    case 'quantity':
      return formatQuantity(value);
    case 'date':
      return formatDate(value);
    case 'time':
      return formatTime(value);
    default:
      return String(value);
  }
}

/** A value as the export writes it: amounts and quantities as numbers (yuan, units), the rest as text. */
export function exportCell(kind: ColumnKind, value: CellValue): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    // Exact: fen → yuan through the decimal text, so 0.1 + 0.2 style drift never reaches the sheet.
    if (kind === 'money') return Number(formatCenti(value));
    if (kind === 'quantity') return Number(formatCenti(value));
    if (kind === 'number') return value;
  }
  return formatCell(kind, value);
}

export function DataTable<T extends RowData>(props: DataTableProps<T>) {
  const { rows, columns, rowKey, label, exportName, onActivate, rowClassName, empty, total, counted = true, className, toolbar, maxHeight, sorting = true } = props;
  const { t, locale } = useI18n();
  const scroller = useRef<HTMLDivElement>(null);
  const [exporting, setExporting] = useState(false);
  const [exportNote, setExportNote] = useState<string>();

  const data = useMemo(() => (rows ?? []) as T[], [rows]);
  const byId = useMemo(() => new Map(columns.map((c) => [c.id, c])), [columns]);
  // Screens pass their columns inline (a new array each render); the table's column model is
  // rebuilt only when the columns themselves change, reading the latest value functions.
  const latest = useRef(byId);
  latest.current = byId;
  const shape = columns.map((c) => `${c.id}:${sorting && (c.sortable ?? c.value !== undefined)}`).join('|');
  const defs = useMemo(() => {
    const helper = createColumnHelper<typeof features, T>();
    return shape.split('|').map((part) => {
      const id = part.slice(0, part.lastIndexOf(':'));
      return helper.accessor((row: T): unknown => latest.current.get(id)?.value?.(row) ?? undefined, {
        id,
        enableSorting: part.endsWith(':true'),
        sortUndefined: 'last',
        sortDescFirst: false,
        sortFn: (a: Row<typeof features, T>, b: Row<typeof features, T>, columnId: string) => compareValues(a.getValue(columnId) as CellValue, b.getValue(columnId) as CellValue),
      });
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- rebuilt when the columns' shape or the language changes
  }, [shape, locale]);
  const table = useTable({ features, columns: defs, data, getRowId: (row: T, index: number) => rowKey(row, index) });
  const shown = table.getRowModel().rows;

  const virtual = shown.length > VIRTUAL_THRESHOLD;
  const virtualizer = useVirtualizer({
    count: virtual ? shown.length : 0,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_ESTIMATE,
    getItemKey: (index) => shown[index]?.id ?? index,
    overscan: 12,
  });
  const items = virtual ? virtualizer.getVirtualItems() : [];
  const padTop = virtual && items.length ? (items[0]?.start ?? 0) : 0;
  const padBottom = virtual && items.length ? virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0) : 0;
  const drawn = virtual ? items.map((item) => ({ row: shown[item.index]!, index: item.index })) : shown.map((row, index) => ({ row, index }));

  const hasFooter = columns.some((c) => c.total !== undefined || c.footer !== undefined);
  const exportable = columns.filter((c) => c.value !== undefined && c.exported !== false);

  async function exportShown() {
    if (!exportName) return;
    setExporting(true);
    setExportNote(undefined);
    try {
      const sheetRows = shown.map((r) => exportable.map((c) => exportCell(c.kind ?? 'text', c.value?.(r.original))));
      if (hasFooter) {
        sheetRows.push(exportable.map((c, i) => (c.total !== undefined ? exportCell(c.kind ?? 'text', c.total) : i === 0 ? t('table.total') : '')));
      }
      const file = await call('system.exportTable', {
        fileName: exportName,
        sheetName: label.slice(0, 31),
        columns: exportable.map((c) => ({
          header: c.header,
          format: c.kind === 'money' ? ('money' as const) : NUMERIC.has(c.kind ?? 'text') ? ('number' as const) : ('text' as const),
          width: c.width ?? (c.kind === 'time' ? 20 : c.kind === 'money' ? 14 : 12),
        })),
        rows: sheetRows,
      });
      const saved = await saveFile(file.fileName, file.base64);
      if (saved) setExportNote(t('table.exported', { count: shown.length, file: saved }));
    } catch (e) {
      setExportNote(e instanceof ApiFailure ? e.error.message : String((e as Error).message));
    } finally {
      setExporting(false);
    }
  }

  function activate(event: MouseEvent | KeyboardEvent, row: T) {
    // A link or button inside the row does its own thing.
    if ((event.target as HTMLElement).closest('a, button, input, select, textarea, label')) return;
    onActivate?.(row);
  }
  function onRowKey(event: KeyboardEvent<HTMLTableRowElement>, row: T) {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      onActivate?.(row);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const next = (event.key === 'ArrowDown' ? event.currentTarget.nextElementSibling : event.currentTarget.previousElementSibling) as HTMLElement | null;
      if (next?.tabIndex === 0) {
        event.preventDefault();
        next.focus();
      }
    }
  }

  const colSpan = columns.length;
  const cellClass = (c: Column<T>) => [NUMERIC.has(c.kind ?? 'text') ? 'num' : c.kind === 'time' || c.kind === 'date' ? 'nowrap' : '', c.className ?? ''].filter(Boolean).join(' ') || undefined;

  return (
    <div className="data-table">
      {counted || exportName || toolbar ? (
        <div className="data-table-bar">
          {counted ? (
            <span className="data-table-count muted" aria-live="polite">
              {rows === undefined ? t('app.loading') : t('table.count', { count: total ?? shown.length })}
            </span>
          ) : null}
          {toolbar}
          {exportName ? (
            <button type="button" className="data-table-export" onClick={() => void exportShown()} disabled={exporting || shown.length === 0}>
              {exporting ? t('common.working') : t('table.export')}
            </button>
          ) : null}
          {exportNote ? <span className="muted" role="status">{exportNote}</span> : null}
        </div>
      ) : null}
      <div className="data-table-scroll" ref={scroller} style={maxHeight ? { maxHeight } : undefined}>
        <table className={`table${className ? ` ${className}` : ''}`} aria-label={label} aria-rowcount={virtual ? shown.length + 1 : undefined}>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const c = byId.get(header.column.id)!;
                  const sorted = header.column.getIsSorted();
                  return (
                    <th key={header.id} className={cellClass(c)} aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}>
                      {header.column.getCanSort() ? (
                        <button type="button" className="data-table-sort" onClick={header.column.getToggleSortingHandler()} title={sorted ? t(sorted === 'asc' ? 'table.sortAsc' : 'table.sortDesc') : undefined}>
                          {c.header}
                          <span className="data-table-arrow" aria-hidden="true">{sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}</span>
                        </button>
                      ) : (
                        c.header
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {padTop > 0 ? (
              <tr className="data-table-pad" aria-hidden="true" style={{ height: padTop }}>
                <td colSpan={colSpan} />
              </tr>
            ) : null}
            {drawn.map(({ row, index }) => (
              <tr
                key={row.id}
                data-index={index}
                ref={virtual ? virtualizer.measureElement : undefined}
                aria-rowindex={virtual ? index + 2 : undefined}
                className={[onActivate ? 'clickable' : '', rowClassName?.(row.original) ?? ''].filter(Boolean).join(' ') || undefined}
                tabIndex={onActivate ? 0 : undefined}
                onClick={onActivate ? (e) => activate(e, row.original) : undefined}
                onKeyDown={onActivate ? (e) => onRowKey(e, row.original) : undefined}
              >
                {columns.map((c) => (
                  <td key={c.id} className={cellClass(c)}>
                    {c.render ? c.render(row.original) : formatCell(c.kind ?? 'text', c.value?.(row.original))}
                  </td>
                ))}
              </tr>
            ))}
            {padBottom > 0 ? (
              <tr className="data-table-pad" aria-hidden="true" style={{ height: padBottom }}>
                <td colSpan={colSpan} />
              </tr>
            ) : null}
            {rows !== undefined && shown.length === 0 ? (
              <tr>
                <td colSpan={colSpan} className="data-table-empty muted">
                  {empty ?? t('table.empty')}
                </td>
              </tr>
            ) : null}
          </tbody>
          {hasFooter && shown.length > 0 ? (
            <tfoot>
              <tr>
                {columns.map((c, i) => (
                  <td key={c.id} className={cellClass(c)}>
                    {c.footer ?? (c.total !== undefined ? formatCell(c.kind ?? 'text', c.total) : i === 0 ? t('table.total') : null)}
                  </td>
                ))}
              </tr>
            </tfoot>
          ) : null}
        </table>
      </div>
    </div>
  );
}
