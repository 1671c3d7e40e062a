/** Set by vite.config.ts at build time: the project's version (the root package.json's). */
declare const __WIKISTREAM_VERSION__: string;
