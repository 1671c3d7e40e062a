import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where downloads and engine state live. As root, Elasticsearch has to run as another user that
 * cannot enter /root, so root uses /var/cache and /var/lib; everyone else uses XDG directories.
 */
export interface StackPaths {
  /** Downloaded artifacts and unpacked distributions, reused between runs. */
  readonly cacheDir: string;
  /** Data, logs, configs and pid files of the running engines. */
  readonly stateDir: string;
}

export function stackPaths(env: NodeJS.ProcessEnv = process.env): StackPaths {
  const root = process.getuid?.() === 0;
  const cacheDir =
    env.WIKISTREAM_CACHE_DIR ??
    (root ? '/var/cache/wikistream' : join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'wikistream'));
  const stateDir =
    env.WIKISTREAM_STATE_DIR ??
    (root
      ? '/var/lib/wikistream'
      : join(env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'wikistream'));
  return { cacheDir, stateDir };
}
