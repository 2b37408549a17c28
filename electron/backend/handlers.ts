import { appraisalHandlers } from './appraisal/handlers';
import { auditHandlers } from './audit/handlers';
import { backupHandlers } from './backup/handlers';
import { billingHandlers } from './billing/handlers';
import { customersHandlers } from './customers/handlers';
import { collectionHandlers } from './collection/handlers';
import type { HandlerGroup, HandlerTable } from './handler';
import { jobHandlers } from './jobs/handlers';
import { readingsHandlers } from './readings/handlers';
import { shellHandlers } from './shell/handlers';
import { staffHandlers } from './staff/handlers';
import { stationHandlers } from './station/handlers';
import { syncHandlers } from './sync/handlers';
import { serviceHandlers } from './service/handlers';
import { systemHandlers } from './system/handlers';

// The handler table: one group per desk, keyed exactly like the contract (a test checks it).
const GROUPS: HandlerGroup[] = [systemHandlers, stationHandlers, staffHandlers, auditHandlers, jobHandlers, backupHandlers, shellHandlers, customersHandlers, readingsHandlers, billingHandlers, collectionHandlers, appraisalHandlers, syncHandlers, serviceHandlers];

export function createHandlers(overrides: HandlerGroup = {}): HandlerTable {
  const table: HandlerGroup = {};
  for (const group of GROUPS) {
    for (const [name, handler] of Object.entries(group)) {
      if (Object.hasOwn(table, name)) throw new Error(`handlers: "${name}" is defined twice`);
      (table as Record<string, unknown>)[name] = handler;
    }
  }
  // A host (the Electron shell) may serve some channels itself, e.g. printing.
  for (const [name, handler] of Object.entries(overrides)) {
    if (!Object.hasOwn(table, name)) throw new Error(`handlers: override for unknown channel "${name}"`);
    (table as Record<string, unknown>)[name] = handler;
  }
  return table as HandlerTable;
}

// Compile-time completeness: every channel of the contract has a handler in some group.
type Missing = Exclude<keyof HandlerTable, keyof (typeof systemHandlers & typeof stationHandlers & typeof staffHandlers & typeof auditHandlers & typeof jobHandlers & typeof backupHandlers & typeof shellHandlers & typeof customersHandlers & typeof readingsHandlers & typeof billingHandlers & typeof collectionHandlers & typeof appraisalHandlers & typeof syncHandlers & typeof serviceHandlers)>;
const _complete: [Missing] extends [never] ? true : { missing: Missing } = true;
void _complete;
