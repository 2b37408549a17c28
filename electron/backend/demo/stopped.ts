import { existsSync, rmSync, statSync } from 'node:fs';

// A demo station is built into `<db>.demo-building` and renamed over the database only when every
// step is done (demo/build.ts). A build a crash or a closed window stopped leaves that file behind:
// at the next start it is discarded (the person builds the demo again; a half-built station is
// never shown). A build still going writes every few hundred milliseconds, so a file written in
// the last two minutes may be another process's build (the CLI's) and is left alone.

export const DEMO_BUILDING_SUFFIX = '.demo-building';
const STOPPED_AFTER_MS = 2 * 60_000;

/** The files a build into `target` writes. */
export function demoBuildingFiles(target: string): string[] {
  const building = `${target}${DEMO_BUILDING_SUFFIX}`;
  return [building, `${building}-wal`, `${building}-shm`, `${building}-journal`];
}

/** Removes a stopped demo build beside `target`; true if there was one. */
export function discardStoppedDemoBuild(target: string, now = Date.now()): boolean {
  const files = demoBuildingFiles(target).filter((f) => existsSync(f));
  if (files.length === 0) return false;
  const lastWrite = Math.max(...files.map((f) => statSync(f).mtimeMs));
  if (now - lastWrite < STOPPED_AFTER_MS) return false;
  for (const f of files) rmSync(f, { force: true });
  rmSync(`${target}${DEMO_BUILDING_SUFFIX}-backups`, { recursive: true, force: true });
  return true;
}
