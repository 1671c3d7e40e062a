import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGES } from '../stack/images.ts';
import { docker } from './commands.ts';

/**
 * The only changes the tests and the benchmark make to docker-compose.yml: the producer reads a
 * replay server on this host instead of Wikimedia (from `since` on), and, on hosts that refuse to
 * raise a container's limits (a Docker daemon without CAP_SYS_RESOURCE), Elasticsearch's ulimits
 * are dropped.
 */
export function writeComposeOverride(
  dir: string,
  options: { upstreamPort: number; since: number; resetUlimits: boolean },
): string {
  const file = join(dir, 'compose.test.yml');
  const lines = [
    'services:',
    '  producer:',
    '    environment:',
    `      EVENTSTREAMS_URL: http://host.docker.internal:${options.upstreamPort}/v2/stream/recentchange`,
    `      SINCE: "${options.since}"`,
    '    extra_hosts: ["host.docker.internal:host-gateway"]',
  ];
  if (options.resetUlimits) lines.push('  elasticsearch:', '    ulimits: !reset {}');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Whether this host lets a container raise its open-files limit as the compose file asks. */
export function ulimitsAllowed(): boolean {
  return (
    docker(['run', '--rm', '--ulimit', 'nofile=65535:65535', '--entrypoint', 'true', IMAGES.elasticsearch])
      .status === 0
  );
}
