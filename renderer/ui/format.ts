import { formatCenti, formatYuan } from '../../shared/money';
import { shanghaiDate, shanghaiDateTime } from '../../shared/time';

export { formatYuan };

/** Epoch ms → '2026-11-26 10:15:00' in Asia/Shanghai. */
export const formatTime = (ms: number): string => shanghaiDateTime(ms);
export const formatDate = (ms: number): string => shanghaiDate(ms);

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * A register or consumption (hundredths) for display: whole figures as they are, a fraction always
 * with two decimals (47477.20, not 47477.2), so a column never mixes one and two decimals.
 * Inputs keep formatCenti (what the reader typed is compared with it).
 */
export function formatQuantity(centi: number): string {
  const text = formatCenti(centi);
  return /\.\d$/.test(text) ? `${text}0` : text;
}
