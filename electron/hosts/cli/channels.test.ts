import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, isChannelName } from '../../../shared/contract';
import { COMMANDS } from './commands';
import { CliContext } from './context';
import { CLI_EXCLUSIONS } from './exclusions';

// Every job a person does at a desk can be done from the CLI: each user-facing channel of the
// contract has a verb (a command lists it in `channels`) or a documented exclusion with a reason.

const covered = new Map<string, string[]>();
for (const command of COMMANDS) for (const channel of command.channels) covered.set(channel, [...(covered.get(channel) ?? []), command.name]);

describe('griddesk covers the contract', () => {
  it('gives every channel a verb or a documented exclusion', () => {
    const missing = CHANNEL_NAMES.filter((name) => !covered.has(name) && !CLI_EXCLUSIONS[name]);
    expect(missing, `channels with no griddesk verb: add a command (docs/architecture.md "Adding a desk") or an entry with its reason in exclusions.ts`).toEqual([]);
  });

  it('keeps the exclusion list true: real channels, a reason each, none that a verb calls', () => {
    for (const [name, reason] of Object.entries(CLI_EXCLUSIONS)) {
      expect(isChannelName(name), `${name} is not a channel any more`).toBe(true);
      expect(reason?.length ?? 0, `${name} needs a reason`).toBeGreaterThan(20);
      expect(covered.get(name), `${name} is excluded but called by a verb`).toBeUndefined();
    }
  });

  it('declares only real channels, and every command has a summary, usage for its arguments and a unique name', () => {
    const names = COMMANDS.map((c) => c.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    for (const command of COMMANDS) {
      expect(command.name.split(' ').length).toBeLessThanOrEqual(2);
      expect(command.summary.length, command.name).toBeGreaterThan(10);
      for (const channel of command.channels) expect(isChannelName(channel), `${command.name}: ${channel}`).toBe(true);
      if ((command.positionals?.[1] ?? 0) > 0 || Object.keys(command.options ?? {}).length > 0) expect(command.usage, `${command.name} needs a usage line`).toBeTruthy();
    }
  });

  it('refuses at run time a call a command did not declare, so the declarations stay true', async () => {
    const cli = new CliContext({ stdout: () => {}, stderr: () => {} }, { db: ':memory:' });
    cli.command = { name: 'probe', summary: 'a command that declares nothing', channels: [], run: async () => {} };
    await expect(cli.invoke('system.info', {})).rejects.toThrow('griddesk probe calls system.info but does not list it in its channels');
  });
});
