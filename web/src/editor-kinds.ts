import type { EditorKind } from '@wikistream/shared';

/**
 * The four kinds of editor the API tells apart (see packages/shared/src/editor/editor-kind.ts),
 * as the dashboard names them. Shared's list is not bundled (types only); a unit test checks
 * that this one has the same kinds. Logged-out editors are temporary accounts on most wikis
 * since 2025 and IP addresses elsewhere: they are never shown as registered.
 */
export const EDITOR_KINDS: readonly EditorKind[] = ['registered', 'temporary', 'ip', 'bot'];

/** Plural names, for the filter's options and the chart legend. */
export const EDITOR_KIND_LABELS: Readonly<Record<EditorKind, string>> = {
  registered: 'Registered accounts',
  temporary: 'Temporary accounts',
  ip: 'IP addresses',
  bot: 'Bots',
};

/** Short names, for the filter's summary of what is checked. */
export const EDITOR_KIND_SHORT_LABELS: Readonly<Record<EditorKind, string>> = {
  registered: 'Registered',
  temporary: 'Temporary',
  ip: 'IP',
  bot: 'Bots',
};

export interface KindBadge {
  readonly text: string;
  /** The whole name, for the tooltip. */
  readonly title: string;
}

/** The badge next to an editor's name; registered accounts, the common case, have none. */
export const EDITOR_KIND_BADGES: Readonly<Record<EditorKind, KindBadge | null>> = {
  registered: null,
  temporary: { text: 'temp', title: 'Temporary account (logged out)' },
  ip: { text: 'IP', title: 'IP address (logged out)' },
  bot: { text: 'bot', title: 'Bot' },
};

/** False for anything else, such as a kind added to the API after this page was built. */
export function isEditorKind(value: unknown): value is EditorKind {
  return (EDITOR_KINDS as readonly unknown[]).includes(value);
}
