import type { ChannelName } from '../../../shared/contract';

// Channels of the contract that deliberately have no `griddesk` verb, each with the reason.
// channels.test.ts fails when a channel has neither a verb (a command's `channels`) nor an entry
// here, and when an entry here is stale (the channel is gone, or a verb now calls it).
export const CLI_EXCLUSIONS: Partial<Record<ChannelName, string>> = {
  'system.info': 'the UI\'s start-up probe; `griddesk version` and `griddesk check` print the program, schema and station',
  'system.ping': 'the web host\'s latency probe; nothing a person does',
  'system.exportTable': 'packs the rows a screen table shows into an .xlsx; the CLI\'s own exports read the store and take --out FILE',
  'auth.login': 'the CLI keeps no session between calls: whoever holds the database file acts as the local operator, or as a staff member with --staff',
  'auth.logout': 'no session to end (see auth.login)',
  'auth.me': 'no session to ask about (see auth.login); `griddesk staff list` shows who is who',
  'jobs.get': 'the CLI waits for its own jobs in process (CliContext.job)',
  'jobs.watch': 'the CLI waits for its own jobs in process (CliContext.job)',
  'backup.restore': '`griddesk restore --from FILE` restores any backup file, checking it before the database is opened',
  'shell.savePdf': 'desktop shell only (a save dialog); the CLI writes PDFs with `bills notice`, `receipt --out` and `print reminders|notice`',
  'shell.print': 'desktop shell only (the system print dialog)',
  'shell.saveFile': 'desktop shell only (a save dialog); CLI exports take --out FILE',
  'customers.filterOptions': 'the values of the list screen\'s drop-downs; `customers list` takes the values typed',
  'demo.build': '`griddesk demo` builds the demo station straight into an empty database file',
  'demo.watch': 'progress of the UI\'s demo build; `griddesk demo` reports its own progress',
  'arrears.filters': 'the values of the arrears screen\'s drop-downs; `arrears` takes the values typed',
  'backup.health': 'the banner\'s probe of the live file and failed copies; `griddesk check` checks the live file and `griddesk backups list` lists the copies',
  'home.summary': 'the home page\'s cards; each figure has its own verb (day, reversals, closings, bills status, sync status)',
  'print.pdf': 'browser mode\'s 保存为PDF on a print page; the CLI writes PDFs with `bills notice --out` and `receipt --out`',
  'service.segments.summary': 'the segments screen\'s head; `service segments compute` prints the counts and `service segments list` the lists',
};
