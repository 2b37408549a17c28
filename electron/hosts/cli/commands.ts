import { appraisalCommands } from './appraisal';
import { billingCommands } from './billing';
import { collectionCommands } from './collection';
import type { CliCommand } from './context';
import { customersCommands } from './customers';
import { hqCommands } from './hq';
import { platformCommands } from './platform';
import { readingsCommands } from './readings';
import { syncCommands } from './sync';

// Every command of the `griddesk` CLI; each desk adds its list here.
export const COMMANDS: CliCommand[] = [...platformCommands, ...customersCommands, ...readingsCommands, ...billingCommands, ...collectionCommands, ...appraisalCommands, ...syncCommands];
// Head office (`griddesk hq …`), on a line of its own so other desks' additions merge cleanly.
COMMANDS.push(...hqCommands);
