import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from './stack-error.ts';

export interface JavaHome {
  readonly home: string;
  readonly major: number;
}

/** Reads the major version from a JDK's `release` file (JAVA_VERSION="25.0.1"). */
export function javaMajor(home: string): number | undefined {
  const release = join(home, 'release');
  if (!existsSync(release) || !existsSync(join(home, 'bin', 'java'))) return undefined;
  const match = /^JAVA_VERSION="(\d+)(?:\.(\d+))?/m.exec(readFileSync(release, 'utf8'));
  if (!match?.[1]) return undefined;
  // Java 8 and older report "1.8.0".
  return match[1] === '1' ? Number(match[2]) : Number(match[1]);
}

function candidates(env: NodeJS.ProcessEnv): string[] {
  const homes: string[] = [];
  if (env.JAVA_HOME) homes.push(env.JAVA_HOME);
  const jvmDir = '/usr/lib/jvm';
  if (existsSync(jvmDir)) {
    for (const name of readdirSync(jvmDir).sort()) homes.push(join(jvmDir, name));
  }
  return homes;
}

/**
 * Finds a JDK with at least `minMajor`, preferring the lowest such version (the one the engine
 * was most likely tested with), then JAVA_HOME.
 */
export function findJava(minMajor: number, env: NodeJS.ProcessEnv = process.env): JavaHome {
  const found: JavaHome[] = [];
  for (const home of candidates(env)) {
    const major = javaMajor(home);
    if (major !== undefined && major >= minMajor) found.push({ home, major });
  }
  found.sort((a, b) => a.major - b.major);
  const best = found[0];
  if (!best) {
    throw new StackError(
      `Java ${minMajor}+ not found (looked at JAVA_HOME and /usr/lib/jvm): install a JDK ${minMajor} or newer, e.g. apt-get install openjdk-${minMajor}-jdk-headless`,
    );
  }
  return best;
}
