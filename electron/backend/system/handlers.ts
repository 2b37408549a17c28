import type { HandlerGroup } from '../handler';
import { homeSummary } from '../home/cards';

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
  // The home page's cards for the caller's roles (electron/backend/home/cards.ts).
  'home.summary': (_input, call) => homeSummary(call),
} satisfies HandlerGroup;
