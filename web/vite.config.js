// vite builds the UI into dist/, which the Go binary embeds. File names are
// stable (no content hashes) so that a rebuild of unchanged sources leaves
// dist/ byte for byte as committed; the server sends them with no-cache.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0, // no data: URLs for scripts or styles
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 1000,
    rolldownOptions: {
      output: {
        entryFileNames: 'assets/[name].js',
        chunkFileNames: 'assets/[name].js',
        assetFileNames: 'assets/[name][extname]',
      },
    },
  },
  server: {
    // npm run dev: the UI from source, the API from a running vigil serve.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
