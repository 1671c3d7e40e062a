/*
 * `pnpm soak -- [--minutes 30] [--rate 300] [--interval 10] [--indexers 3] [--threshold 10] [--out FILE]`
 *
 * The whole pipeline at 10× the live rate for a long time on the running engines (KAFKA_BROKERS /
 * ELASTICSEARCH_URL, default the local stack). Prints the RSS of every service at each sample,
 * then per service the slope over the second half (MiB/hour, least squares), how far the last
 * third's peak is above the middle third's, and a verdict; writes
 * everything to bench/soak.json. Exit code 1 when memory grows or events were not all indexed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatTable } from '../e2e/report.ts';
import { engineAddresses } from '../stack/stack.ts';
import { REPO_ROOT } from '../testing/fixtures.ts';
import { DEFAULT_THRESHOLD_MIB_PER_HOUR, MINIMUM_HALF_MINUTES } from './memory-trend.ts';
import { runSoak, type SoakResult } from './soak.ts';

const write = (line: string) => process.stdout.write(`${line}\n`);

function options() {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      minutes: { type: 'string', default: '30' },
      rate: { type: 'string', default: '300' },
      interval: { type: 'string', default: '10' },
      indexers: { type: 'string', default: '3' },
      threshold: { type: 'string', default: String(DEFAULT_THRESHOLD_MIB_PER_HOUR) },
      out: { type: 'string', default: join(REPO_ROOT, 'bench', 'soak.json') },
    },
  });
  const number = (name: keyof typeof values) => {
    const value = Number(values[name]);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
    return value;
  };
  return {
    minutes: number('minutes'),
    rate: number('rate'),
    intervalSeconds: number('interval'),
    indexers: number('indexers'),
    thresholdMiBPerHour: number('threshold'),
    out: values.out,
  };
}

function summary(result: SoakResult): string {
  const rows = [
    [
      'service',
      'first MiB',
      'last MiB',
      'peak MiB',
      'slope MiB/h (2nd half)',
      'noise MiB',
      'new high MiB',
      'heap slope MiB/h',
      'verdict',
    ],
    ...result.trends.map((t) => [
      t.label,
      t.firstMiB.toFixed(1),
      t.lastMiB.toFixed(1),
      t.peakMiB.toFixed(1),
      t.slopeMiBPerHour.toFixed(1),
      t.noiseMiB.toFixed(1),
      t.newHighMiB.toFixed(1),
      t.heapSlopeMiBPerHour === undefined ? '-' : t.heapSlopeMiBPerHour.toFixed(1),
      t.verdict === 'too short' ? (t.grows ? 'rising (too short)' : 'flat (too short)') : t.verdict,
    ]),
  ];
  return [
    '',
    formatTable(rows),
    '',
    `${result.eventsServed.toLocaleString('en-US')} events served in ${result.minutes} min; ` +
      (result.indexedAll
        ? `all indexed ${result.catchUpSeconds} s after the end`
        : 'NOT all indexed within 3 min after the end'),
    `api: ${result.apiRequests} dashboard requests, ${result.apiFailures} failed; services restarted after a crash: ${result.crashes}`,
    `verdict: ${result.verdict} (growth = a slope over ${result.thresholdMiBPerHour} MiB/h that rises above the noise ` +
      'and still makes new highs: the peak of the last third above the peak of the middle third; ' +
      `"settled" = the slope is tilted by a rise that stopped; judged on a second half of at least ${MINIMUM_HALF_MINUTES} min)`,
  ].join('\n');
}

async function main(): Promise<void> {
  const settings = options();
  const result = await runSoak({
    ...engineAddresses(),
    ...settings,
    log: write,
  });
  write(summary(result));
  mkdirSync(dirname(settings.out), { recursive: true });
  writeFileSync(settings.out, `${JSON.stringify(result, null, 2)}\n`);
  write(`written to ${settings.out}`);
  process.exitCode = result.grows || !result.indexedAll || result.crashes > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
