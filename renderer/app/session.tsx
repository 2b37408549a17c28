import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { OutputOf, SessionStaff } from '../../shared/contract';
import type { Permission } from '../../shared/permissions';
import { call, onSessionLost } from '../api/client';

// Who is logged in and which station this is, loaded once at start and after login/logout.

type Info = OutputOf<'system.info'>;

interface SessionState {
  info: Info | undefined;
  staff: SessionStaff | null;
  loaded: boolean;
  failed: boolean;
  refresh(): Promise<void>;
  setStaff(staff: SessionStaff | null): void;
  /** Hides what a role may not do; the back end refuses it anyway. */
  can(permission: Permission | 'session'): boolean;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [info, setInfo] = useState<Info>();
  const [staff, setStaff] = useState<SessionStaff | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [failed, setFailed] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const [i, me] = await Promise.all([call('system.info'), call('auth.me')]);
      setInfo(i);
      setStaff(me.staff);
      setFailed(false);
    } catch {
      setFailed(true);
    } finally {
      setLoaded(true);
    }
  }, []);

  useEffect(() => {
    void refresh();
    return onSessionLost(() => setStaff(null));
  }, [refresh]);

  const value = useMemo<SessionState>(
    () => ({
      info,
      staff,
      loaded,
      failed,
      refresh,
      setStaff,
      can: (permission) => (staff ? permission === 'session' || staff.permissions.includes(permission) : false),
    }),
    [info, staff, loaded, failed, refresh],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
