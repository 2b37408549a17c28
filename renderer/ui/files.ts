import { call, isDesktop } from '../api/client';

// Handing a file the back end made (an export) to the user: the desktop app's save dialog, or a
// download in browser mode.

export async function saveFile(fileName: string, base64: string, mime = 'application/octet-stream'): Promise<boolean> {
  if (isDesktop()) return (await call('shell.saveFile', { suggestedName: fileName, base64 })).saved;
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return true;
}

/** A file the user picked, as base64 for the API. */
export async function fileToBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
