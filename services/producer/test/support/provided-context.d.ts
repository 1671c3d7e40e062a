// What the root globalSetup (tools/src/testing/global-setup.ts) provides to every project.
declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    elasticsearchUrl: string;
  }
}

export {};
