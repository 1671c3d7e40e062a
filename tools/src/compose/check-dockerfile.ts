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

/**
 * `patchFiles`: the files named by pnpm-workspace.yaml's `patchedDependencies`; `pnpm install` fails
 * without them, so each must be copied before the first install.
 */
export function checkDockerfile(
  text: string,
  runtimeTargets: readonly string[],
  patchFiles: readonly string[] = [],
): string[] {
  const problems: string[] = [];
  const stages = dockerfileStages(text);
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
    if (!cmd.includes('"start"')) problems.push(`${target}: CMD must run the package's start script`);
    if (!/^CMD\s+\[/.test(cmd)) problems.push(`${target}: CMD must use the exec form`);
    if (!stage.lines.some((line) => /--from=\S*-deps/.test(line))) {
      problems.push(`${target}: must take its production dependencies from a deps stage`);
    }
  }
  // What a stage has run by the end: its base stages' lines, then its own.
  const inherited = (stage: Stage): readonly string[] => {
    const base = stages.find((other) => other.name === stage.from && other !== stage);
    return [...(base ? inherited(base) : []), ...stage.lines];
  };
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
