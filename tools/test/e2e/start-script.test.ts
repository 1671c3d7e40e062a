import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type PipelineOptions, pipelineNames } from '../../src/e2e/pipeline.ts';
import { alive } from '../../src/e2e/process-stats.ts';
import { streamSource } from '../../src/e2e/scenario.ts';
import { apiEnv, indexerEnv, producerEnv } from '../../src/e2e/service-env.ts';
import { type ReplayServer, startReplayServer } from '../../src/replay/index.ts';
import { startProcess } from '../../src/run/child-process.ts';
import type { ServiceName } from '../../src/run/service-command.ts';
import {
  deleteConsumerGroups,
  deleteIndicesWithPrefix,
  deleteTopics,
  freePort,
  REPO_ROOT,
  waitFor,
} from '../../src/testing/index.ts';

/**
 * A service started through its start script by a package manager (`pnpm start:producer` and its
 * siblings do exactly this), stopped with SIGTERM the way a supervisor stops it: the signal must
 * reach node, which stops gracefully and exits 0; pnpm reports that exit code.
 */
interface Started {
  readonly entries: Record<string, unknown>[];
  readonly exited: Promise<number | string>;
  kill(): void;
}

function startThroughPnpm(service: ServiceName, env: Record<string, string>): Started {
  const entries: Record<string, unknown>[] = [];
  const managed = startProcess({
    name: service,
    command: 'pnpm',
    args: ['--filter', `@wikistream/${service}`, 'run', 'start'],
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    onLine(line) {
      try {
        entries.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        entries.push({ msg: line });
      }
    },
  });
  return { entries, exited: managed.exited, kill: () => managed.child.kill('SIGTERM') };
}

const logged = (started: Started, message: RegExp) =>
  waitFor(() => started.entries.find((entry) => message.test(String(entry.msg))), {
    timeoutMs: 60_000,
    message: `a log line matching ${message}`,
  });

describe('a service started by its start script through pnpm', () => {
  let server: ReplayServer;
  let options: PipelineOptions;
  const names = pipelineNames('start-script');
  beforeAll(async () => {
    server = await startReplayServer({ ...streamSource(400), pacing: { kind: 'rate', perSecond: 100 } });
    options = {
      kafkaBrokers: inject('kafkaBrokers'),
      elasticsearchUrl: inject('elasticsearchUrl'),
      slug: 'start-script',
      replay: {},
    };
  });
  afterAll(async () => {
    await server?.close();
    await deleteTopics(options.kafkaBrokers, [
      names.topic,
      names.deadLetterTopic,
      names.cursorTopic,
      names.gapsTopic,
    ]);
    await deleteConsumerGroups(options.kafkaBrokers, [names.group]);
    await deleteIndicesWithPrefix(options.elasticsearchUrl, names.prefix);
  });

  const cases: [ServiceName, () => Promise<Record<string, string>>, RegExp, RegExp][] = [
    [
      'producer',
      async () => producerEnv(options, names, server.url, Date.now() - 2000),
      /^connecting upstream$/,
      /^stopped: the upstream is closed and the last batch committed$/,
    ],
    ['indexer', async () => indexerEnv(options, names), /^indexing$/, /^stopping$/],
    ['api', async () => apiEnv(options, names, await freePort()), /^Server listening/, /^shutting down$/],
  ];

  it.each(cases)(
    '%s receives SIGTERM, stops gracefully and exits 0',
    async (service, env, ready, stopped) => {
      const started = startThroughPnpm(service, { ...(await env()), LOG_LEVEL: 'info' });
      const first = await logged(started, ready);
      const pid = Number(first.pid);
      expect(pid).toBeGreaterThan(0);
      started.kill();
      expect(await started.exited).toBe(0);
      expect(started.entries.some((entry) => stopped.test(String(entry.msg)))).toBe(true);
      // Without exec in the start script, node outlived the shell that pnpm signalled.
      expect(alive(pid)).toBe(false);
    },
    120_000,
  );
});
