// Running the griddesk CLI in-process for tests, with its output captured.
import { parseShape, shapeProblems } from './jsonShape';
import { findCommand, runCli, splitGlobals } from './run';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runGriddesk(argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  const run = { code, stdout: out.join('\n'), stderr: err.join('\n') };
  checkJsonShape(argv, run);
  return run;
}

/**
 * Every successful --json run in the CLI tests is checked against the shape its command documents
 * (docs/cli.md): a field missing or one not documented fails the test that ran it.
 */
function checkJsonShape(argv: string[], run: CliRun): void {
  if (run.code !== 0 || !argv.includes('--json')) return;
  const { rest } = splitGlobals(argv);
  const command = findCommand(rest);
  const shape = command?.json ? parseShape(command.json) : undefined;
  if (!command || !shape) return;
  const problems = shapeProblems(shape, JSON.parse(run.stdout));
  if (problems.length) throw new Error(`griddesk ${command.name} --json does not match its documented shape ${command.json}: ${problems.join('; ')}`);
}
