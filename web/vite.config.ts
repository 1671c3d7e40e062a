import { defineConfig } from 'vite';

/**
 * The dashboard is a static bundle the api serves under a strict CSP: everything is emitted as
 * files (no inline script or style), and nothing is fetched from another origin.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  publicDir: 'public',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: false,
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    proxy: { '/api': { target: process.env.WIKISTREAM_API ?? 'http://localhost:3000', changeOrigin: false } },
  },
});
