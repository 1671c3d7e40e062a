/*
 * `pnpm docker:prepare`: makes `docker compose up`, `pnpm test:compose` and the test suite's
 * containers work on this machine. A Docker engine that answers (Debian's docker.io installed and
 * started by hand where missing, as root), Compose v2 (built from source once and cached where
 * missing), and the images the project runs: pulled where a registry answers, else local
 * stand-ins built from the same Maven Central and npm artifacts (tools/docker/README.md).
 * Idempotent: a second run changes nothing and takes seconds.
 */
import { STAND_IN_LABEL } from '../stack/images.ts';
import { stackPaths } from '../stack/paths.ts';
import { StackError } from '../stack/stack-error.ts';
import { docker } from './commands.ts';
import { ensureCompose } from './compose-plugin.ts';
import { ensureEngine } from './engine.ts';
import { createStandIns } from './stand-ins.ts';

const print = (line: string) => process.stdout.write(`[docker:prepare] ${line}\n`);
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const paths = stackPaths();
  const started = Date.now();
  const engine = await ensureEngine({ stateDir: paths.stateDir, log: print });
  print(`Docker engine: ${engine === 'answering' ? 'answering' : 'started'} (${seconds(started)})`);
  const composeStarted = Date.now();
  const compose = ensureCompose(paths.cacheDir, print);
  print(
    `Docker Compose ${compose.version}${compose.installed ? ', installed' : ''} (${seconds(composeStarted)})`,
  );
  const standIns = createStandIns(paths.cacheDir, print);
  for (const image of standIns.images) {
    const prepared = standIns.ensure(image);
    print(`${prepared.image}: ${prepared.outcome} (${prepared.seconds.toFixed(1)} s)`);
  }
  // A rebuilt stand-in leaves its predecessor untagged; remove those, never anything else.
  docker(['image', 'prune', '--force', '--filter', `label=${STAND_IN_LABEL}`]);
  print(`ready in ${seconds(started)}`);
}

main().catch((error: unknown) => {
  if (error instanceof StackError) {
    process.stderr.write(`docker:prepare: ${error.message}\n`);
  } else {
    process.stderr.write(
      `docker:prepare: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exitCode = 1;
});
