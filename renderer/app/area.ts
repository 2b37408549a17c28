import type { RouteObject } from 'react-router';
import type { MessageKey } from '../../shared/i18n';
import type { Permission } from '../../shared/permissions';

/** One desk of the UI: its menu entries, its screens and its printable documents. */
export interface AreaDef {
  id: string;
  nav: NavItem[];
  /** Screens inside the application frame (paths relative to '/'). */
  routes: RouteObject[];
  /** Printable documents under '/print/' (no application frame). */
  printRoutes?: RouteObject[];
}

export interface NavItem {
  to: string;
  label: MessageKey;
  permission: Permission | 'session';
  /** Keyboard shortcut shown beside the entry (Alt+key). */
  accessKey?: string;
}
