import { call, isDesktop } from '../api/client';

/** Saves a generated file: the desktop app's save dialog, or the browser's download. */
export async function saveFile(fileName: string, base64: string): Promise<string | undefined> {
  if (isDesktop()) {
    const saved = await call('shell.saveFile', { suggestedName: fileName, base64 });
    return saved.saved ? saved.file : undefined;
  }
  downloadBytes(fileName, base64, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  return fileName;
}

/** The browser's download of bytes the back end answered (base64), under the given name. */
export function downloadBytes(fileName: string, base64: string, type: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Reads a picked file as base64 (to send in a JSON call). */
export function fileBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}
