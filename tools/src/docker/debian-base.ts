import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { StackError } from '../stack/stack-error.ts';
import { onPath, runOrThrow } from './commands.ts';
import { aptInstall, canInstallPackages } from './engine.ts';

export const DEBIAN_CODENAME = 'bookworm';
/** What every stand-in needs beyond `minbase`: TLS roots (npm, Maven) and curl (health checks). */
export const DEBIAN_PACKAGES = ['ca-certificates', 'curl'] as const;
/** Where Debian keeps certificate authorities added locally; update-ca-certificates reads them. */
export const LOCAL_CA_DIR = '/usr/local/share/ca-certificates';

/**
 * The Debian mirror the host's apt uses (its own configuration, so no address is hard-coded):
 * the first `deb` source of a release suite (not -security, -updates or -backports), from
 * deb822 `.sources` files or one-line `.list` files.
 */
export function debianMirror(sources: readonly { name: string; text: string }[]): string | undefined {
  const release = (suite: string) => !suite.includes('-') && !suite.includes('/');
  for (const { name, text } of sources) {
    if (name.endsWith('.sources')) {
      for (const block of text.split(/\n\s*\n/)) {
        const field = (key: string) =>
          new RegExp(`^${key}:\\s*(.+)$`, 'mi').exec(block)?.[1]?.trim().split(/\s+/) ?? [];
        if (/^\s*Enabled:\s*no/im.test(block)) continue;
        if (!field('Types').includes('deb') || !field('Suites').some(release)) continue;
        const uri = field('URIs').find((candidate) => !candidate.includes('security'));
        if (uri) return uri.replace(/\/$/, '');
      }
    } else {
      for (const line of text.split('\n')) {
        const match = /^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line);
        if (match?.[1] && match[2] && release(match[2]) && !match[1].includes('security')) {
          return match[1].replace(/\/$/, '');
        }
      }
    }
  }
  return undefined;
}

function hostAptSources(): { name: string; text: string }[] {
  const files: string[] = [];
  if (existsSync('/etc/apt/sources.list')) files.push('/etc/apt/sources.list');
  const dir = '/etc/apt/sources.list.d';
  if (existsSync(dir)) {
    for (const name of readdirSync(dir).sort()) {
      if (name.endsWith('.sources') || name.endsWith('.list')) files.push(join(dir, name));
    }
  }
  return files.map((file) => ({ name: file, text: readFileSync(file, 'utf8') }));
}

/** The host's locally added CA certificates (a TLS-inspecting network's among them), by path. */
export function localCaFiles(dir = LOCAL_CA_DIR): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.crt')) found.push(path);
    }
  };
  walk(dir);
  return found.sort();
}

/**
 * A minimal Debian root filesystem (`debootstrap --variant=minbase`) that trusts the host's extra
 * certificate authorities, imported as `image` with `labels`. Needs root.
 */
export function importDebianBase(image: string, labels: Readonly<Record<string, string>>): void {
  if (process.getuid?.() !== 0) {
    throw new StackError(
      'building the Debian base image needs root (debootstrap); run pnpm docker:prepare as root',
    );
  }
  if (!onPath('debootstrap')) {
    if (!canInstallPackages()) throw new StackError('debootstrap is missing: apt-get install debootstrap');
    aptInstall(['debootstrap']);
  }
  const mirror = debianMirror(hostAptSources());
  if (!mirror) {
    throw new StackError('no Debian mirror found in /etc/apt/sources.list(.d): debootstrap needs one');
  }
  const work = mkdtempSync('/var/tmp/wikistream-rootfs-');
  const rootfs = join(work, 'rootfs');
  try {
    runOrThrow(
      'debootstrap',
      ['--variant=minbase', `--include=${DEBIAN_PACKAGES.join(',')}`, DEBIAN_CODENAME, rootfs, mirror],
      `debootstrap ${DEBIAN_CODENAME}`,
    );
    for (const file of localCaFiles()) {
      const target = join(rootfs, LOCAL_CA_DIR, relative(LOCAL_CA_DIR, file));
      mkdirSync(join(target, '..'), { recursive: true });
      copyFileSync(file, target);
    }
    runOrThrow('chroot', [rootfs, 'update-ca-certificates'], 'update-ca-certificates in the Debian base');
    for (const dir of ['var/cache/apt/archives', 'var/lib/apt/lists']) {
      for (const entry of readdirSync(join(rootfs, dir))) {
        if (entry !== 'partial' && entry !== 'lock')
          rmSync(join(rootfs, dir, entry), { recursive: true, force: true });
      }
    }
    const changes = [
      ...Object.entries(labels).map(([key, value]) => `LABEL ${key}=${JSON.stringify(value)}`),
      'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'CMD ["bash"]',
    ].flatMap((change) => ['--change', change]);
    // `tar | docker import -` without a shell: tar writes the archive next to the rootfs first.
    const archive = join(work, 'rootfs.tar');
    runOrThrow('tar', ['-C', rootfs, '-cf', archive, '.'], 'archiving the Debian root filesystem');
    runOrThrow('docker', ['import', ...changes, archive, image], `docker import ${image}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
