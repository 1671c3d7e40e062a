import { ErrorCode, WikistreamError } from '@wikistream/shared';

export interface RedriveArgs {
  /** Only entries with this reason code; every entry when absent. */
  readonly reason?: string;
  /** At most this many entries; no limit when absent. */
  readonly limit?: number;
}

const usage = 'usage: dlq:redrive [--reason REASON] [--limit N]';

/** Pure: command-line arguments → options. A leading `--` (as pnpm passes it) is ignored. */
export function parseRedriveArgs(argv: readonly string[]): RedriveArgs {
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  const result: { reason?: string; limit?: number } = {};
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--') continue;
    const [flag, inline] = (args[i] as string).split(/=(.*)/s, 2) as [string, string | undefined];
    const value = inline ?? args[++i];
    if (value === undefined || value === '') throw invalid(`${flag} needs a value`);
    if (flag === '--reason') result.reason = value;
    else if (flag === '--limit') {
      if (!/^\d+$/.test(value) || Number(value) < 1)
        throw invalid(`--limit must be a positive integer, got "${value}"`);
      result.limit = Number(value);
    } else throw invalid(`unknown argument "${flag}"`);
  }
  return result;
}

function invalid(message: string): WikistreamError {
  return new WikistreamError(ErrorCode.ConfigInvalid, `${message}\n${usage}`);
}
