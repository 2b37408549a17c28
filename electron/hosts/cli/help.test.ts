import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commands';
import { commandHelp } from './run';

// `--help` of every command is complete (issue 21): it has a summary, every option it takes is
// shown in its usage line or explained beside it, and a command that prints --json says what.

describe('griddesk COMMAND --help', () => {
  it('names every option in the usage line or explains it', () => {
    const missing = COMMANDS.flatMap((c) =>
      Object.keys(c.options ?? {})
        .filter((name) => !(c.usage ?? '').includes(`--${name}`) && !c.optionHelp?.[name])
        .map((name) => `${c.name} --${name}`),
    );
    expect(missing).toEqual([]);
  });

  it('has a summary and, beyond serve and version, a --json shape', () => {
    expect(COMMANDS.filter((c) => c.summary.trim().length < 10).map((c) => c.name)).toEqual([]);
    const noJson = COMMANDS.filter((c) => !c.json).map((c) => c.name);
    expect(noJson).toEqual([]);
  });

  it('shows the usage, the options and the channels', () => {
    const help = commandHelp(COMMANDS.find((c) => c.name === 'day station')!);
    expect(help).toContain('Usage: griddesk day station [--date YYYY-MM-DD] [--out FILE.pdf]');
    expect(help).toContain('Calls: collection.stationDay');
    expect(help).toContain('--json prints: { station,');
  });
});
