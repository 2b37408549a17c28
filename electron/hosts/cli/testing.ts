// Running the griddesk CLI in-process for tests, with its output captured. main.ts runs the CLI
// when imported unless told not to, so it is imported as a library here.
process.env.GRIDDESK_CLI_NO_AUTORUN = '1';
const { runCli } = await import('./main');

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
