import type { TestProject } from 'vitest/node';
import { provisionServices } from './provision.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    elasticsearchUrl: string;
  }
}

/**
 * Vitest globalSetup: real engines for the whole run, handed to tests with `inject()`.
 * What it started is stopped after the run, also when tests fail or the run is interrupted.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const services = await provisionServices();
  process.stdout.write(
    `[wikistream] ${services.description}: ${services.kafkaBrokers}, ${services.elasticsearchUrl} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
  );
  project.provide('kafkaBrokers', services.kafkaBrokers);
  project.provide('elasticsearchUrl', services.elasticsearchUrl);
  const onSignal = (signal: NodeJS.Signals) => {
    void services.stop().finally(() => process.kill(process.pid, signal));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await services.stop();
  };
}
