import type { StartScript } from '../run/service-command.ts';

/**
 * Checks of our Dockerfile that hadolint does not make: the rules this project promises for its
 * images. Pure: Dockerfile text in, problems out.
 */
export interface Stage {
  readonly name: string;
  readonly from: string;
  readonly lines: readonly string[];
}

/** Splits a Dockerfile into stages, joining continued lines. */
export function dockerfileStages(text: string): Stage[] {
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: { name: string; from: string; lines: string[] }[] = [];
  for (const line of logical) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ from: from[1] ?? '', name: from[2] ?? String(stages.length), lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}

/** `ENV A=1 B="two words"`: the variables it sets (the key=value form only). */
export function envAssignments(line: string): Record<string, string> {
  const assigned: Record<string, string> = {};
  for (const match of line
    .replace(/^ENV\s+/i, '')
    .matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    const raw = match[2] ?? '';
    assigned[match[1] ?? ''] = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
  }
  return assigned;
}

/** The exec-form CMD's words, or undefined for the shell form. */
function execForm(cmd: string): string[] | undefined {
  const json = /^CMD\s+(\[.*\])\s*$/i.exec(cmd)?.[1];
  if (!json) return undefined;
  try {
    const words = JSON.parse(json) as unknown;
    return Array.isArray(words) && words.every((word) => typeof word === 'string') ? words : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `patchFiles`: the files named by pnpm-workspace.yaml's `patchedDependencies`; `pnpm install` fails
 * without them, so each must be copied before the first install. `startScripts`: each runtime
 * target's start script; its CMD must be that `node` command, run directly, with the script's
 * variables set by ENV, so that node is the process the container's signals reach.
 */
export function checkDockerfile(
  text: string,
  runtimeTargets: readonly string[],
  patchFiles: readonly string[] = [],
  startScripts: Readonly<Record<string, StartScript>> = {},
): string[] {
  const problems: string[] = [];
  const stages = dockerfileStages(text);
  // What a stage has run by the end: its base stages' lines, then its own.
  const inherited = (stage: Stage): readonly string[] => {
    const base = stages.find((other) => other.name === stage.from && other !== stage);
    return [...(base ? inherited(base) : []), ...stage.lines];
  };
  const args = Object.fromEntries(
    [...text.matchAll(/^ARG\s+(\w+)=(\S+)/gm)].map((match) => [match[1] ?? '', match[2] ?? '']),
  );
  for (const stage of stages) {
    const base = stage.from.replace(/\$\{(\w+)\}/g, (_m, name: string) => args[name] ?? '');
    const known = stages.some((other) => other.name === stage.from);
    if (!known && !/^node:24-bookworm-slim$/.test(base)) {
      problems.push(`stage ${stage.name}: base image ${base} is not node:24-bookworm-slim`);
    }
  }
  for (const target of runtimeTargets) {
    const stage = stages.find((s) => s.name === target);
    if (!stage) {
      problems.push(`no stage named ${target}`);
      continue;
    }
    const instruction = (name: string) =>
      stage.lines.filter((line) => line.toUpperCase().startsWith(`${name} `));
    const user = instruction('USER').at(-1);
    if (!user || /^USER\s+(root|0)(:|$)/i.test(user)) problems.push(`${target}: must run as a non-root USER`);
    if (instruction('HEALTHCHECK').length === 0) problems.push(`${target}: no HEALTHCHECK`);
    const cmd = instruction('CMD').at(-1) ?? '';
    const words = execForm(cmd);
    if (!words) problems.push(`${target}: CMD must use the exec form`);
    const script = startScripts[target];
    if (words && script) {
      const expected = ['node', ...script.args];
      if (JSON.stringify(words) !== JSON.stringify(expected)) {
        problems.push(
          `${target}: CMD must be the start script's ${JSON.stringify(expected)}, not ${JSON.stringify(words)}`,
        );
      }
      const env = Object.assign(
        {},
        ...inherited(stage)
          .filter((line) => /^ENV\s/i.test(line))
          .map(envAssignments),
      ) as Record<string, string>;
      for (const [name, value] of Object.entries(script.env)) {
        if (env[name] !== value)
          problems.push(`${target}: the start script sets ${name}=${value}; ENV must too`);
      }
    } else if (words && words[0] !== 'node') {
      problems.push(`${target}: CMD must start node directly, so that it receives the container's signals`);
    }
    if (!stage.lines.some((line) => /--from=\S*-deps/.test(line))) {
      problems.push(`${target}: must take its production dependencies from a deps stage`);
    }
  }
  const firstInstall = stages.find((stage) => stage.lines.some((line) => /pnpm install/.test(line)));
  if (firstInstall) {
    const lines = inherited(firstInstall);
    const before = lines.slice(
      0,
      lines.findIndex((line) => /pnpm install/.test(line)),
    );
    const copied = before
      .filter((line) => /^COPY\s/i.test(line) && !/--from=/.test(line))
      .flatMap((line) => line.split(/\s+/).slice(1, -1));
    for (const file of patchFiles) {
      if (!copied.some((source) => file === source || file.startsWith(`${source.replace(/\/$/, '')}/`)))
        problems.push(
          `stage ${firstInstall.name}: ${file} (patchedDependencies) is not copied before pnpm install`,
        );
    }
  }
  for (const stage of stages) {
    for (const line of stage.lines) {
      if (/pnpm install/.test(line) && !/--frozen-lockfile/.test(line)) {
        problems.push(`stage ${stage.name}: pnpm install without --frozen-lockfile`);
      }
      if (/-deps$/.test(stage.name) && /pnpm install/.test(line) && !/--prod/.test(line)) {
        problems.push(`stage ${stage.name}: installs dev dependencies`);
      }
    }
  }
  return problems;
}
