import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

// Who has the station file open (占用登记). Every process that opens the station database for
// its work (the desktop app, `griddesk serve`, each CLI command) writes one small file into
// `<db>-holders/` naming the program, its pid and since when, and removes it when it closes.
// A restore reads this folder to say *who* holds the file; SQLite's own locks (restore.ts)
// decide *whether* it is held. An entry whose process is gone (killed, power cut) is stale and
// removed when read: a pid that no longer runs holds nothing.

export interface Holder {
  program: string;
  pid: number;
  host: string;
  since: number;
}

export function holdersDir(db: string): string {
  return `${db}-holders`;
}

/** What this process is, for the holders list: "griddesk serve", "GridDesk desktop app", … */
export function defaultProgram(): string {
  if (process.versions.electron) return 'GridDesk desktop app';
  const script = process.argv[1] ?? 'node';
  const words = process.argv.slice(2).filter((a) => !a.startsWith('-')).slice(0, 2);
  return /griddesk/i.test(script) ? `griddesk ${words.join(' ')}`.trim() : `node ${script}`;
}

/** Writes this process's entry; returns a function that removes it. On read-only media it does nothing. */
export function registerHolder(db: string, program: string, now: number = Date.now()): () => void {
  const dir = holdersDir(db);
  const file = join(dir, `${process.pid}-${Math.random().toString(36).slice(2, 10)}.json`);
  try {
    mkdirSync(dir, { recursive: true });
    liveHolders(db); // sweeps the entries of processes killed since (SIGKILL, power cut)
    const fd = openSync(file, 'wx');
    try {
      const holder: Holder = { program, pid: process.pid, host: hostname(), since: now };
      writeSync(fd, JSON.stringify(holder));
    } finally {
      closeSync(fd);
    }
  } catch {
    // Read-only media or a full disk: the store is then opened read-only or refused anyway, and
    // SQLite's locks still stop a restore; only the name of the holder would be missing.
    return () => {};
  }
  return () => {
    rmSync(file, { force: true });
    try {
      rmdirSync(dir); // the last one out leaves no folder behind
    } catch {
      /* others still hold it */
    }
  };
}

function alive(holder: Holder): boolean {
  if (holder.host !== hostname()) return true; // another PC on a shared folder: cannot tell, assume it runs
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // runs, as another user
  }
}

/** The live holders of `db`, oldest first, except this process; stale entries are removed. */
export function liveHolders(db: string): Holder[] {
  const dir = holdersDir(db);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const holders: Holder[] = [];
  for (const name of names) {
    const file = join(dir, name);
    let holder: Holder;
    try {
      holder = JSON.parse(readFileSync(file, 'utf8')) as Holder;
    } catch {
      // Half-written by a process killed in the middle: stale once it is a few seconds old.
      try {
        if (Date.now() - statSync(file).mtimeMs > 5_000) rmSync(file, { force: true });
      } catch {
        /* gone already */
      }
      continue;
    }
    if (holder.pid === process.pid && holder.host === hostname()) continue;
    if (alive(holder)) holders.push(holder);
    else rmSync(file, { force: true });
  }
  return holders.sort((a, b) => a.since - b.since);
}
