import { downloadBytes } from '../customers/download';

/** Downloads a PDF the web host made (browser mode's Save as PDF). */
export function downloadPdf(fileName: string, base64: string): void {
  downloadBytes(fileName, base64, 'application/pdf');
}
