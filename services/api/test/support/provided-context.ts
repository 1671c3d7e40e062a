// What tools/src/testing/global-setup.ts provides to every test through inject().
declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    elasticsearchUrl: string;
  }
}

export {};
