/**
 * What `pnpm release` builds, as plain values: the images of one version with their OCI labels.
 * Pure, so the rules are tested without building anything.
 */
export const RELEASE_SERVICES = ['producer', 'indexer', 'api'] as const;

export interface ReleaseImage {
  readonly service: (typeof RELEASE_SERVICES)[number];
  readonly tag: string;
  /** `docker build` arguments, from `--target` to the context. */
  readonly buildArgs: readonly string[];
}

/** The changelog's section for `version` (`## 0.1.0 …` up to the next `## `), or undefined. */
export function changelogSection(changelog: string, version: string): string | undefined {
  const lines = changelog.split('\n');
  const start = lines.findIndex((line) =>
    new RegExp(`^## \\[?${version.replaceAll('.', '\\.')}\\]?(\\s|$)`).test(line),
  );
  if (start < 0) return undefined;
  const end = lines.findIndex((line, index) => index > start && line.startsWith('## '));
  const body = lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim();
  return body === '' ? undefined : body;
}

export function releaseImages(options: {
  readonly version: string;
  readonly revision: string;
  /** Image name prefix, e.g. `wikistream` → `wikistream/producer:0.1.0`. */
  readonly repository: string;
}): ReleaseImage[] {
  return RELEASE_SERVICES.map((service) => {
    const tag = `${options.repository}/${service}:${options.version}`;
    return {
      service,
      tag,
      buildArgs: [
        '--target',
        service,
        '--build-arg',
        `VERSION=${options.version}`,
        '--build-arg',
        `REVISION=${options.revision}`,
        '--tag',
        tag,
        '.',
      ],
    };
  });
}
