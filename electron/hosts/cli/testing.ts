// Running the griddesk CLI in-process for tests, with its output captured.
import { runCli } from './run';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runGriddesk(argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
