import type { z } from 'zod';
import type { Permission } from '../permissions';

/**
 * Who may call a channel: anyone ('public': setup, login), any logged-in staff ('session'), or
 * staff whose roles carry the named permission.
 */
export type Access = 'public' | 'session' | Permission;

export interface ChannelDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  access: Access;
  /** Served by the desktop shell only; the web host answers `not_available`. */
  shellOnly?: true;
}

export function channel<I extends z.ZodType, O extends z.ZodType>(def: ChannelDef<I, O>): ChannelDef<I, O> {
  return def;
}

type Merge<T extends readonly object[]> = T extends readonly [infer H, ...infer R extends readonly object[]] ? H & Merge<R> : unknown;

/** Merges each desk's channel group into the one table, refusing a name defined twice. */
export function mergeChannels<const T extends readonly Record<string, ChannelDef>[]>(...groups: T): Merge<T> {
  const out: Record<string, ChannelDef> = {};
  for (const group of groups) {
    for (const [name, def] of Object.entries(group)) {
      if (Object.hasOwn(out, name)) throw new Error(`contract: channel "${name}" is defined twice`);
      out[name] = def;
    }
  }
  return out as Merge<T>;
}
