import { appraisalCommands } from './appraisal';
import { serviceCommands } from './service';
import { adminCommands } from './admin';
import { billingCommands } from './billing';
import { billsCommands } from './bills';
import { booksCommands } from './books';
import { collectionCommands } from './collection';
import type { CliCommand } from './context';
import { counterCommands } from './counter';
import { customersCommands } from './customers';
import { filesCommands } from './files';
import { hqCommands } from './hq';
import { platformCommands } from './platform';
import { printCommands } from './print';
import { readingsCommands } from './readings';
import { reviewCommands } from './review';
import { syncCommands } from './sync';

// Every command of the `griddesk` CLI; each desk adds its list here. Each command declares the
// channels it calls (`channels`); channels.test.ts checks every user-facing channel has a verb.
export const COMMANDS: CliCommand[] = [...platformCommands, ...customersCommands, ...readingsCommands, ...billingCommands, ...collectionCommands, ...appraisalCommands, ...syncCommands, ...serviceCommands];
COMMANDS.push(...adminCommands, ...filesCommands, ...booksCommands, ...reviewCommands, ...billsCommands, ...counterCommands);
// Head office (`griddesk hq …`), on a line of its own so other desks' additions merge cleanly.
COMMANDS.push(...hqCommands);
COMMANDS.push(...printCommands);
