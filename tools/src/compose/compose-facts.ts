import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULTS, topicNames, topicSpecs } from '@wikistream/shared';
import { ENGINE_VERSIONS } from '../stack/versions.ts';
import type { ComposeFacts, ConfigVariable } from './check-compose.ts';
import { dockerfileStages } from './check-dockerfile.ts';

export const SERVICES = ['producer', 'indexer', 'api'] as const;

/** What a service's config schema knows, asked from the service itself (`--describe-config`). */
export function serviceConfig(repoRoot: string, service: string): ConfigVariable[] {
  const main = join(repoRoot, 'services', service, 'src', 'main.ts');
  const result = spawnSync(process.execPath, [main, '--describe-config'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.status !== 0) {
    throw new Error(`${service} --describe-config failed (${result.status}): ${result.stderr.trim()}`);
  }
  return JSON.parse(result.stdout) as ConfigVariable[];
}

export function composeFacts(repoRoot: string): ComposeFacts {
  const dockerfile = join(repoRoot, 'Dockerfile');
  const topics = topicSpecs(topicNames(DEFAULTS.kafkaTopic));
  return {
    kafkaVersion: ENGINE_VERSIONS.kafka,
    elasticsearchVersion: ENGINE_VERSIONS.elasticsearch,
    dockerfileTargets: existsSync(dockerfile)
      ? { Dockerfile: dockerfileStages(readFileSync(dockerfile, 'utf8')).map((stage) => stage.name) }
      : {},
    serviceConfig: Object.fromEntries(SERVICES.map((service) => [service, serviceConfig(repoRoot, service)])),
    topics: Object.fromEntries(
      topics.map((spec) => [
        spec.topic,
        { configs: Object.fromEntries(spec.configEntries.map((entry) => [entry.name, entry.value])) },
      ]),
    ),
  };
}
