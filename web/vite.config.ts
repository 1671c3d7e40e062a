import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';

/** The project's one version (the root package.json's), shown in the footer. */
const version = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/**
 * The dashboard is a static bundle the api serves under a strict CSP: everything is emitted as
 * files (no inline script or style), and nothing is fetched from another origin.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  define: { __WIKISTREAM_VERSION__: JSON.stringify(version) },
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
