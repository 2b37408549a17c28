import type { runCli as RunCli } from './run';
import { versionInfo, versionText } from './version';

// The `griddesk` command's entry: bin/griddesk.mjs runs this module (from the prebuilt bundle,
// see scripts/build-cli.mjs). The command table, the contract and the back end load lazily
// (run.ts, through import()): a plain `griddesk version [--json]` answers without them. No
// top-level await, so the bundle can be CommonJS and loaded with a V8 code cache. Tests import
// run.ts directly and capture the output.

const io = {
  stdout: (text: string) => process.stdout.write(`${text}\n`),
  stderr: (text: string) => process.stderr.write(`${text}\n`),
};

/** `version` alone (with --json at most): the only command that needs nothing of the station (scripts/cli-bundle.mjs cacheKind() makes the same test). */
function plainVersion(argv: string[]): boolean {
  const rest = argv.filter((a) => a !== '--json');
  return rest.length === 1 && rest[0] === 'version';
}

export async function main(argv: string[]): Promise<number> {
  if (plainVersion(argv)) {
    const info = versionInfo();
    io.stdout(argv.includes('--json') ? JSON.stringify(info, null, 2) : versionText(info));
    return 0;
  }
  const { runCli } = (await import('./run')) as { runCli: typeof RunCli };
  return runCli(argv, io);
}

if (process.env.GRIDDESK_CLI_NO_AUTORUN !== '1') {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
