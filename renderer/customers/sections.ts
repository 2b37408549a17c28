import type { ReactNode } from 'react';
import type { CustomerView, PointView } from '../../shared/contract';
import type { MessageKey } from '../../shared/i18n';
import type { Permission } from '../../shared/permissions';

/** What a section of the customer page is given. */
export interface CustomerSectionProps {
  customer: CustomerView;
  points: PointView[];
  /** Reloads the customer page (after a section changed something). */
  reload(): void;
}

/**
 * The customer page's extension point: later desks add their sections (readings, bills,
 * payments …) by pushing one entry here from their own area.tsx, e.g.
 *   customerPageSections.push({ id: 'bills', title: 'billing.customerSection', order: 40, permission: 'billing.read', render: (p) => <BillsSection {...p} /> });
 * Sections show below the customer's file and meters, in `order`, to roles with the permission.
 */
export interface CustomerPageSection {
  id: string;
  title: MessageKey;
  permission: Permission | 'session';
  /** Lower first; the history timeline is last (1000). Readings 20, bills 40, payments 60. */
  order: number;
  render(props: CustomerSectionProps): ReactNode;
}

export const customerPageSections: CustomerPageSection[] = [];
