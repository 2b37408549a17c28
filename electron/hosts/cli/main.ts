import { runCli } from './run';

// The `griddesk` command's entry: bin/griddesk.mjs runs this module (from the prebuilt bundle,
// see scripts/build-cli.mjs). No top-level await, so the bundle can be CommonJS (loaded with a
// V8 code cache). Tests import run.ts instead and capture the output.
export { runCli };

if (process.env.GRIDDESK_CLI_NO_AUTORUN !== '1') {
  void runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
  }).then((code) => {
    process.exitCode = code;
  });
}
