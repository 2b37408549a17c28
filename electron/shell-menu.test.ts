import { beforeEach, describe, expect, it, vi } from 'vitest';
import { menuTemplate } from './shell-menu';
import { shellText } from './shell-text';
import { BrowserWindow, dialog, resetFakeElectron } from './testing/fake-electron';

vi.mock('electron', () => import('./testing/fake-electron'));

type Item = { label?: string; role?: string; accelerator?: string; type?: string; click?: () => void; submenu?: Item[] };
const menu = (packaged: boolean) => menuTemplate({ version: '1.2.3', packaged }) as Item[];
const submenu = (items: Item[], label: string) => items.find((item) => item.label === label)?.submenu ?? [];
const find = (items: Item[], label: string) => items.find((item) => item.label?.startsWith(label));

beforeEach(() => resetFakeElectron());

describe('the application menu', () => {
  it('has 文件, 编辑, 视图, 帮助 in Chinese', () => {
    expect(menu(true).map((item) => item.label)).toEqual(['文件', '编辑', '视图', '帮助']);
  });

  it('文件 offers 打印 (Ctrl+P), 另存为 PDF and 退出', () => {
    const file = submenu(menu(true), '文件');
    expect(find(file, '打印')?.accelerator).toBe('CmdOrCtrl+P');
    expect(find(file, '另存为 PDF')).toBeDefined();
    expect(find(file, '退出')?.role).toBe('quit');
  });

  it('编辑 has the standard editing roles', () => {
    expect(submenu(menu(true), '编辑').flatMap((item) => item.role ?? [])).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']);
  });

  it('视图 has reload, zoom and full screen; developer tools only when not installed', () => {
    const roles = (packaged: boolean) => submenu(menu(packaged), '视图').flatMap((item) => item.role ?? []);
    expect(roles(true)).toEqual(['reload', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
    expect(roles(false)).toContain('toggleDevTools');
    expect(find(submenu(menu(true), '视图'), '实际大小')?.role).toBe('resetZoom');
  });

  it('打印 prints the window in front', () => {
    const back = new BrowserWindow();
    const front = new BrowserWindow();
    front.focus();
    find(submenu(menu(true), '文件'), '打印')?.click?.();
    expect(front.webContents.printCalls).toHaveLength(1);
    expect(back.webContents.printCalls).toHaveLength(0);
  });

  it('另存为 PDF opens the save dialog for the window in front, named after its title', async () => {
    const front = new BrowserWindow({ title: '收据 GD01-000123' });
    front.focus();
    dialog.saveResult = { canceled: true };
    find(submenu(menu(true), '文件'), '另存为 PDF')?.click?.();
    await vi.waitFor(() => expect(dialog.saveCalls).toHaveLength(1));
    expect(dialog.saveCalls[0]?.window).toBe(front);
    expect(dialog.saveCalls[0]?.options.defaultPath).toMatch(/收据 GD01-000123\.pdf$/);
  });

  it('关于 GridDesk shows the version', () => {
    new BrowserWindow().focus();
    find(submenu(menu(true), '帮助'), '关于 GridDesk')?.click?.();
    expect(dialog.messageBoxes[0]?.options.detail).toContain('版本 1.2.3');
  });
});

describe('shell texts', () => {
  it('fill their placeholders in both languages', () => {
    expect(shellText('zh-CN', 'aboutDetail', { version: '0.1.0' })).toBe('供电所营销服务台\n版本 0.1.0');
    expect(shellText('en', 'aboutDetail', { version: '0.1.0' })).toBe('Supply-station service desk\nVersion 0.1.0');
  });
});
