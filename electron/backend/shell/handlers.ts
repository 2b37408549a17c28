import { AppError } from '../errors';
import type { HandlerGroup } from '../handler';

// The desktop shell's own channels (print, save as PDF, save file). The Electron main process
// serves them with its window and dialogs; any other host answers `not_available`, and the
// browser UI uses window.print() and downloads instead.
const desktopOnly = (what: string) => () => {
  throw new AppError('not_available', 'error.not_available', { what });
};

export const shellHandlers = {
  'shell.savePdf': desktopOnly('shell.savePdf'),
  'shell.print': desktopOnly('shell.print'),
  'shell.saveFile': desktopOnly('shell.saveFile'),
  // Save as PDF in browser mode: the web host serves it (renders the print route in Chromium);
  // the desktop app saves through shell.savePdf instead.
  'print.pdf': desktopOnly('print.pdf'),
} satisfies HandlerGroup;
