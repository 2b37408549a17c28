import type { HandlerGroup } from '../handler';
import { setupStation } from './setup';

export const stationHandlers = {
  'station.setup': (input, { backend }) => setupStation(backend, input),
} satisfies HandlerGroup;
