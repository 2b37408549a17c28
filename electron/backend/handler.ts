import type { ChannelName, OutputOf, ParsedInputOf } from '../../shared/contract';
import type { Locale } from '../../shared/i18n';
import type { Role } from '../../shared/permissions';
import type { Actor } from './audit/record';
import type { Backend } from './context';
import type { Session } from './staff/sessions';

/** The logged-in staff member as the back end sees them on each call (read fresh every call). */
export interface CallStaff {
  id: string;
  staffNo: string;
  name: string;
  roles: Role[];
  active: boolean;
  mustChangePassword: boolean;
}

/** Everything a handler knows about who is calling and how to answer. */
export interface Call {
  backend: Backend;
  session: Session | null;
  staff: CallStaff | null;
  actor: Actor;
  locale: Locale;
  /** The transport keeps the session token (cookie, IPC sender map); login and logout set it. */
  setSessionToken(token: string | null): void;
}

export type Handler<N extends ChannelName> = (
  input: ParsedInputOf<N>,
  call: Call,
) => OutputOf<N> | Promise<OutputOf<N>>;

export type HandlerTable = { [N in ChannelName]: Handler<N> };
export type HandlerGroup = Partial<HandlerTable>;

/** The staff member of a call, or a thrown error for channels that reach here without one. */
export function callStaff(call: Call): CallStaff {
  if (!call.staff) throw new Error('handler reached without a session: check the channel access');
  return call.staff;
}

export function actorOf(staff: { id: string; staffNo: string; name: string }): Actor {
  return { staffId: staff.id, label: `${staff.staffNo} ${staff.name}` };
}
