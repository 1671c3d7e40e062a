import { describe, expect, it } from 'vitest';
import { EDITOR_KINDS, editorKind, isTemporaryAccount } from '../../src/editor/editor-kind.ts';

describe('the kind of editor behind a change', () => {
  it('knows temporary accounts in both name styles', () => {
    for (const user of ['~2025-12345-67', '~2025-123456', '~2024-1', '~2026-00001-02']) {
      expect(isTemporaryAccount(user), user).toBe(true);
      expect(editorKind({ user, bot: false }), user).toBe('temporary');
    }
  });

  it('does not take names that merely contain a tilde or digits for temporary accounts', () => {
    for (const user of [
      '~Flower',
      'A~2025-12345',
      '2025-12345-67',
      ' ~2025-12345-67',
      '~ 2025',
      '~1999-12345',
    ]) {
      expect(isTemporaryAccount(user), user).toBe(false);
      expect(editorKind({ user, bot: false }), user).toBe('registered');
    }
  });

  it('knows IPv4 and IPv6 addresses', () => {
    for (const user of ['192.0.2.1', '2001:db8::1', '2001:DB8:0:0:0:0:0:1']) {
      expect(editorKind({ user, bot: false }), user).toBe('ip');
    }
    expect(editorKind({ user: '192.0.2.256', bot: false })).toBe('registered');
  });

  it('lets the bot flag win over the name', () => {
    expect(editorKind({ user: '~2025-12345-67', bot: true })).toBe('bot');
    expect(editorKind({ user: '192.0.2.1', bot: true })).toBe('bot');
    expect(editorKind({ user: 'ClueBot NG', bot: true })).toBe('bot');
    expect(editorKind({ user: 'Somebot', bot: false })).toBe('registered');
  });

  it('gives every event one of the four kinds, registered when the name is missing', () => {
    expect(editorKind({})).toBe('registered');
    expect(editorKind({ user: null, bot: 'yes' })).toBe('registered');
    expect(EDITOR_KINDS).toEqual(['registered', 'temporary', 'ip', 'bot']);
  });
});
