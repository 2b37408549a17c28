import type { CliCommand } from './context';
import { platformCommands } from './platform';

// Every command of the `griddesk` CLI; each desk adds its list here.
export const COMMANDS: CliCommand[] = [...platformCommands];
