import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer: one React app served by the web host (browser mode, end-to-end tests) and by the
// Electron shell's app:// protocol. Relative asset paths and a hash router work under both.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  cacheDir: '../.vite-cache',
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
    // Two pages: the station app, and head office's (served by `griddesk hq serve` at /hq/).
    rollupOptions: { input: { main: 'renderer/index.html', hq: 'renderer/hq/index.html' } },
  },
  server: { port: 5173, strictPort: false },
});
