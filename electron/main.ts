// The Electron main process entry, bundled to dist-electron/main.cjs (package.json "main").
// Everything happens in startShell; this file only hands it the process's facts.
import { startShell } from './shell-start';

startShell({
  argv: process.argv,
  env: process.env,
  cwd: process.cwd(),
  resourcesPath: process.resourcesPath,
  electronVersion: process.versions.electron,
});
