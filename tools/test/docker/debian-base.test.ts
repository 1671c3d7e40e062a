import { describe, expect, it } from 'vitest';
import { debianMirror } from '../../src/docker/debian-base.ts';

const deb822 = `Types: deb
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
`;

describe('debianMirror', () => {
  it('takes the release suite of a deb822 source', () => {
    expect(debianMirror([{ name: '/etc/apt/sources.list.d/debian.sources', text: deb822 }])).toBe(
      'http://mirror.example/debian',
    );
  });

  it('skips security, updates, source-only and disabled entries', () => {
    const sources = [
      {
        name: 'a.sources',
        text: 'Types: deb-src\nURIs: http://src.example/debian\nSuites: bookworm\n\nTypes: deb\nEnabled: no\nURIs: http://off.example/debian\nSuites: bookworm\n',
      },
      {
        name: 'sources.list',
        text: [
          '# deb http://commented.example/debian bookworm main',
          'deb http://security.example/debian-security bookworm-security main',
          'deb http://updates.example/debian bookworm-updates main',
          'deb [arch=amd64 signed-by=/k.gpg] http://one-line.example/debian/ bookworm main',
        ].join('\n'),
      },
    ];
    expect(debianMirror(sources)).toBe('http://one-line.example/debian');
  });

  it('says when there is none', () => {
    expect(debianMirror([])).toBeUndefined();
    expect(
      debianMirror([{ name: 'x.list', text: 'deb http://s.example/debian-security bookworm-security main' }]),
    ).toBeUndefined();
  });
});
