/*
 * `pnpm record -- --out FILE [--minutes M] [--max-events N] [--url URL] [--user-agent UA]
 *                [--since TIME | --last-event-id ID] [--keep-canaries]`
 * Captures the live recentchange feed (default: stream.wikimedia.org) into an NDJSON file that
 * `pnpm replay -- FILE` serves. Set a User-Agent with your contact: Wikimedia refuses generic ones.
 */
import { parseArgs } from 'node:util';
import { type RecordProgress, record } from './recorder.ts';

const USAGE = `Usage: pnpm record -- --out FILE [--minutes M] [--max-events N] [--url URL] [--user-agent UA]
                   [--since TIME | --last-event-id ID] [--keep-canaries]`;

function progressLine(progress: RecordProgress): string {
  return `[record] ${progress.events} events written, ${progress.canaries} canaries skipped, ${progress.reconnects} reconnects`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg, index) => !(index === 0 && arg === '--')),
    options: {
      out: { type: 'string' },
      minutes: { type: 'string' },
      'max-events': { type: 'string' },
      url: { type: 'string' },
      'user-agent': { type: 'string' },
      since: { type: 'string' },
      'last-event-id': { type: 'string' },
      'keep-canaries': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || values.out === undefined) {
    process.stdout.write(`${USAGE}\n`);
    process.exitCode = values.help ? 0 : 1;
    return;
  }
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  const tty = process.stderr.isTTY === true;
  let last = 0;
  const result = await record({
    out: values.out,
    url: values.url,
    userAgent: values['user-agent'],
    minutes: values.minutes === undefined ? undefined : Number(values.minutes),
    maxEvents: values['max-events'] === undefined ? undefined : Number(values['max-events']),
    since: values.since,
    lastEventId: values['last-event-id'],
    keepCanaries: values['keep-canaries'] === true,
    signal: controller.signal,
    onProgress(progress) {
      if (Date.now() - last < 1000) return;
      last = Date.now();
      process.stderr.write(tty ? `\r${progressLine(progress)}` : `${progressLine(progress)}\n`);
    },
  });
  process.stderr.write(`${tty ? '\n' : ''}${progressLine(result)}\n`);
  process.stdout.write(
    `[record] wrote ${result.events} events to ${values.out}; resume with --last-event-id '${result.lastEventId ?? ''}'\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`record: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
