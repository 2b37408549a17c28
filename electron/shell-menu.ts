// The application menu, in Chinese (the office's language). Print and save-as-PDF act on the
// window in front, exactly like the page's own print buttons (shell.print, shell.savePdf).
import { BrowserWindow, dialog, type MenuItemConstructorOptions } from 'electron';
import { AppError } from './backend/errors';
import { printPage, savePagePdf } from './shell-channels';
import { shellText, type ShellTextKey } from './shell-text';

/** Save as PDF from the menu: named after the page's title; a failure is shown, not thrown. */
async function saveFromMenu(window: BrowserWindow): Promise<void> {
  try {
    await savePagePdf(window, { suggestedName: window.getTitle() });
  } catch (error) {
    const message = error instanceof AppError ? error.messageIn('zh-CN') : String(error);
    dialog.showErrorBox(shellText('zh-CN', 'savePdf'), message);
  }
}

/** The menu for `version`; developer tools only when running from source. */
export function menuTemplate(options: { version: string; packaged: boolean }): MenuItemConstructorOptions[] {
  const t = (key: ShellTextKey) => shellText('zh-CN', key);
  // Print and save act on the window in front (there is one, but a dialog may have focus).
  const onFocused = (act: (window: BrowserWindow) => void) => () => {
    const window = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
    if (window) act(window);
  };
  const view: MenuItemConstructorOptions[] = [
    { label: t('reload'), role: 'reload' },
    { type: 'separator' },
    { label: t('actualSize'), role: 'resetZoom' },
    { label: t('zoomIn'), role: 'zoomIn' },
    { label: t('zoomOut'), role: 'zoomOut' },
    { type: 'separator' },
    { label: t('fullScreen'), role: 'togglefullscreen' },
  ];
  if (!options.packaged) view.push({ type: 'separator' }, { label: t('devTools'), role: 'toggleDevTools' });

  return [
    {
      label: t('file'),
      submenu: [
        { label: t('print'), accelerator: 'CmdOrCtrl+P', click: onFocused((window) => void printPage(window)) },
        { label: t('savePdf'), accelerator: 'CmdOrCtrl+Shift+S', click: onFocused((window) => void saveFromMenu(window)) },
        { type: 'separator' },
        { label: t('quit'), role: 'quit' },
      ],
    },
    {
      label: t('edit'),
      submenu: [
        { label: t('undo'), role: 'undo' },
        { label: t('redo'), role: 'redo' },
        { type: 'separator' },
        { label: t('cut'), role: 'cut' },
        { label: t('copy'), role: 'copy' },
        { label: t('paste'), role: 'paste' },
        { label: t('selectAll'), role: 'selectAll' },
      ],
    },
    { label: t('view'), submenu: view },
    {
      label: t('help'),
      submenu: [
        {
          label: t('about'),
          click: onFocused((window) => {
            void dialog.showMessageBox(window, {
              type: 'info',
              title: t('about'),
              message: 'GridDesk',
              detail: shellText('zh-CN', 'aboutDetail', { version: options.version }),
            });
          }),
        },
      ],
    },
  ];
}
