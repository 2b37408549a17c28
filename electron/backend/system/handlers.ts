import type { HandlerGroup } from '../handler';

export const systemHandlers = {
  'system.info': (_input, { backend }) => {
    const station = backend.station() ?? null;
    return {
      setUp: station !== null,
      station,
      appVersion: backend.appVersion,
      schemaVersion: backend.schemaVersion,
      desktop: backend.desktop,
    };
  },
  'system.ping': (_input, { backend }) => ({ at: backend.now() }),
} satisfies HandlerGroup;
