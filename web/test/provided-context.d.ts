// The engines the root globalSetup (tools/src/testing/global-setup.ts) hands to every test.
declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    elasticsearchUrl: string;
  }
}

export {};
