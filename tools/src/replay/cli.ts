/*
 * `pnpm replay -- [FILE...] [options]`: an EventStreams-compatible endpoint serving recorded events,
 * for offline use, tests and load. Point the producer at it with
 * EVENTSTREAMS_URL=http://127.0.0.1:8092/v2/stream/recentchange.
 */
import { fixtureFiles } from '../testing/fixtures.ts';
import { parseReplayArgs, USAGE } from './args.ts';
import { progressLine } from './progress.ts';
import { type ReplayStats, startReplayServer } from './server.ts';

async function main(): Promise<void> {
  const args = parseReplayArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const files = args.files.length > 0 ? args.files : fixtureFiles();
  const server = await startReplayServer({ ...args.options, files });
  process.stdout.write(
    `[replay] serving ${server.sourceSize} events from ${files.length} file(s) at ${server.url}\n`,
  );
  for (const fault of args.scheduled) {
    setTimeout(() => {
      if (fault.kind === 'stall') server.faults.stall(fault.durationMs);
      else server.faults.failFor(fault.status ?? 503, fault.durationMs);
      process.stdout.write(
        `\n[replay] fault: ${fault.kind} ${fault.status ?? ''} for ${fault.durationMs} ms\n`,
      );
    }, fault.afterMs).unref();
  }
  const tty = process.stderr.isTTY === true;
  let before: ReplayStats | undefined;
  let last = Date.now();
  let ticks = 0;
  const timer = setInterval(() => {
    const now = server.stats();
    const line = progressLine(now, before, Date.now() - last);
    if (tty) process.stderr.write(`\r${line.padEnd(100)}`);
    else if (ticks++ % 10 === 0) process.stderr.write(`${line}\n`);
    before = now;
    last = Date.now();
  }, 1000);
  const stop = () => {
    clearInterval(timer);
    process.stderr.write('\n');
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`replay: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
