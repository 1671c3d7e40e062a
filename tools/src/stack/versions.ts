import versions from './versions.json' with { type: 'json' };

/**
 * The engine versions, pinned in one place (`versions.json`). The images in docker-compose.yml
 * must carry the same versions; a test checks that they do.
 */
export const ENGINE_VERSIONS: Readonly<typeof versions> = Object.freeze(versions);
