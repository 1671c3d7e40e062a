import {
  createLogger,
  EVENT_MAPPING,
  indexTemplateName,
  TEMPLATE_VERSION,
  versionTemplateName,
} from '@wikistream/shared';
import { describe, expect, it } from 'vitest';
import { installIndexTemplate, shouldInstallTemplate } from '../src/index-template-installer.ts';

const logger = createLogger({ name: 'test', level: 'silent' });
const settings = { prefix: 'p', shards: 1, replicas: 0, refreshInterval: '1s' };
/** The alias side of the store: indices `p-*` as listed, the read alias's members, the calls made. */
function aliases(names: string[] = [], members: string[] = []) {
  const calls: unknown[][] = [];
  return {
    calls,
    listIndices: async () => names,
    aliasMembers: async () => new Set(members),
    updateAliases: async (actions: readonly Record<string, unknown>[]) => void calls.push([...actions]),
  };
}

describe('index template installation', () => {
  it('installs when missing, unversioned, older or equal, and never over a newer version', () => {
    expect(shouldInstallTemplate(undefined, 3)).toBe(true);
    expect(shouldInstallTemplate(null, 3)).toBe(true);
    expect(shouldInstallTemplate(2, 3)).toBe(true);
    expect(shouldInstallTemplate(3, 3)).toBe(true);
    expect(shouldInstallTemplate(4, 3)).toBe(false);
  });

  it('keeps a newer installed template untouched', async () => {
    const puts: string[] = [];
    const store = {
      templateVersion: async () => TEMPLATE_VERSION + 1,
      putTemplate: async (name: string) => void puts.push(name),
      putMapping: async (pattern: string) => void puts.push(pattern),
      ...aliases(),
    };
    expect(await installIndexTemplate(store, settings, logger)).toBe('kept-newer');
    expect(puts).toEqual([]);
  });

  it('writes the versions template, then the daily one, versioned, under the prefix name', async () => {
    const puts: [string, Record<string, unknown>][] = [];
    const store = {
      templateVersion: async () => undefined,
      putTemplate: async (name: string, body: Record<string, unknown>) => void puts.push([name, body]),
      putMapping: async (pattern: string, body: Record<string, unknown>) => void puts.push([pattern, body]),
      ...aliases(),
    };
    expect(await installIndexTemplate(store, settings, logger)).toBe('installed');
    expect(puts[0]?.[0]).toBe(versionTemplateName('p'));
    expect(puts[0]?.[1]).toMatchObject({ index_patterns: ['p-*-v*'], version: TEMPLATE_VERSION });
    expect(puts[1]?.[0]).toBe(indexTemplateName('p'));
    expect(puts[1]?.[1]).toMatchObject({ index_patterns: ['p-*'], version: TEMPLATE_VERSION });
    expect(puts[2]).toEqual(['p-*', EVENT_MAPPING]);
  });

  it('puts the plain daily indices outside the read alias into it, also under a newer template', async () => {
    for (const installed of [undefined, TEMPLATE_VERSION + 1]) {
      const side = aliases(['p-2026.12.04', 'p-2026.12.05', 'p-2026.12.03-v2', 'p-other'], ['p-2026.12.05']);
      const store = {
        templateVersion: async () => installed,
        putTemplate: async () => undefined,
        putMapping: async () => undefined,
        ...side,
      };
      await installIndexTemplate(store, settings, logger);
      expect(side.calls).toEqual([[{ add: { index: 'p-2026.12.04', alias: 'p' } }]]);
    }
  });

  it('adds new fields to existing indices only when it raises the version, and goes on if they refuse', async () => {
    const mapped: string[] = [];
    const store = (installed: number | undefined) => ({
      templateVersion: async () => installed,
      putTemplate: async () => undefined,
      putMapping: async (pattern: string) => {
        mapped.push(pattern);
        throw new Error('mapper conflict');
      },
      ...aliases(),
    });
    expect(await installIndexTemplate(store(TEMPLATE_VERSION), settings, logger)).toBe('installed');
    expect(mapped).toEqual([]);
    expect(await installIndexTemplate(store(TEMPLATE_VERSION - 1), settings, logger)).toBe('installed');
    expect(mapped).toEqual(['p-*']);
  });
});
