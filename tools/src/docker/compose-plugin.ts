import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { StackError } from '../stack/stack-error.ts';
import { ENGINE_VERSIONS } from '../stack/versions.ts';
import { docker, onPath, runOrThrow } from './commands.ts';

const MODULE = 'github.com/docker/compose/v2';

/** `docker compose version --short` as major.minor.patch, or undefined when there is no usable Compose v2. */
export function composeVersion(): string | undefined {
  const result = docker(['compose', 'version', '--short']);
  if (result.status !== 0) return undefined;
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(result.stdout.trim());
  return match && Number(match[1]) >= 2 ? `${match[1]}.${match[2]}.${match[3]}` : undefined;
}

/** Where the Docker CLI looks for plugins: system-wide as root, else the user's own. */
export function pluginDir(): string {
  return process.getuid?.() === 0
    ? '/usr/local/lib/docker/cli-plugins'
    : join(process.env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'cli-plugins');
}

/**
 * Builds Compose from its official source through the Go module proxy (Debian has only the old
 * Python `docker-compose` 1.x). `go install …@version` refuses the module because of its exclude
 * directives, so the module is downloaded, copied somewhere writable and built there.
 */
function buildCompose(binary: string, log: (line: string) => void): void {
  if (!onPath('go')) {
    throw new StackError(
      `Compose v2 is missing and Go is not installed to build it: install the docker-compose-plugin package, or Go 1.24+ and run this again`,
    );
  }
  const version = `v${ENGINE_VERSIONS.compose}`;
  log(`building Docker Compose ${version} from ${MODULE} (about 3 minutes on 2 cores)`);
  const env = { ...process.env, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' };
  const download = runOrThrow('go', ['mod', 'download', '-json', `${MODULE}@${version}`], 'go mod download', {
    env,
  });
  const source = (JSON.parse(download.stdout) as { Dir?: string }).Dir;
  if (!source) throw new StackError(`go mod download did not name a directory for ${MODULE}@${version}`);
  const work = mkdtempSync(join(tmpdir(), 'wikistream-compose-'));
  try {
    cpSync(source, work, { recursive: true });
    chmodSync(work, 0o755);
    runOrThrow('chmod', ['-R', 'u+w', work], 'making the Compose source writable');
    mkdirSync(join(binary, '..'), { recursive: true });
    runOrThrow(
      'go',
      [
        'build',
        '-trimpath',
        '-ldflags',
        `-s -w -X ${MODULE}/internal.Version=${version}`,
        '-o',
        binary,
        './cmd',
      ],
      `building Docker Compose ${version}`,
      { cwd: work, env },
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface ComposeResult {
  readonly version: string;
  readonly installed: boolean;
}

/** Compose v2 as a CLI plugin: the one present, else the pinned version, built once and cached. */
export function ensureCompose(cacheDir: string, log: (line: string) => void): ComposeResult {
  const present = composeVersion();
  if (present) return { version: present, installed: false };
  const binary = join(cacheDir, `docker-compose-${ENGINE_VERSIONS.compose}`, 'docker-compose');
  if (!existsSync(binary)) buildCompose(binary, log);
  const target = join(pluginDir(), 'docker-compose');
  mkdirSync(pluginDir(), { recursive: true });
  copyFileSync(binary, target);
  chmodSync(target, 0o755);
  const installed = composeVersion();
  if (!installed) throw new StackError(`installed ${target}, but docker compose version still fails`);
  log(`Docker Compose ${installed} installed as ${target}`);
  return { version: installed, installed: true };
}
