import { describe, expect, it } from 'vitest';
import {
  diffUrl,
  isSafeHref,
  isWikimediaHost,
  pageUrl,
  safeOrigin,
  userUrl,
  WIKIMEDIA_DOMAINS,
  wikiHomeUrl,
} from '../src/links.ts';

describe('links to the wikis', () => {
  it('builds page links with spaces as underscores and the title percent-encoded', () => {
    expect(pageUrl('https://en.wikipedia.org', 'EFL Championship')).toBe(
      'https://en.wikipedia.org/wiki/EFL_Championship',
    );
    expect(pageUrl('https://commons.wikimedia.org', 'File:City Lake, Floresti?.jpg')).toBe(
      'https://commons.wikimedia.org/wiki/File%3ACity_Lake%2C_Floresti%3F.jpg',
    );
    expect(pageUrl('https://zh.wikipedia.org', 'Portal:电影/新进条目')).toBe(
      'https://zh.wikipedia.org/wiki/Portal%3A%E7%94%B5%E5%BD%B1%2F%E6%96%B0%E8%BF%9B%E6%9D%A1%E7%9B%AE',
    );
  });

  it('builds diff links from both revision ids, and a revision link for page creations', () => {
    expect(diffUrl('https://en.wikipedia.org', { old: 1166824248, new: 1167689309 })).toBe(
      'https://en.wikipedia.org/w/index.php?diff=1167689309&oldid=1166824248',
    );
    expect(diffUrl('https://www.wikidata.org', { old: null, new: 889714232 })).toBe(
      'https://www.wikidata.org/w/index.php?oldid=889714232',
    );
    expect(diffUrl('https://www.wikidata.org', { old: 1, new: null })).toBeNull();
    expect(diffUrl('https://www.wikidata.org', null)).toBeNull();
    expect(diffUrl('https://www.wikidata.org', { old: 1.5, new: -3 })).toBeNull();
  });

  it('builds contribution links for users, IP addresses included', () => {
    expect(userUrl('https://en.wikipedia.org', 'Some User')).toBe(
      'https://en.wikipedia.org/wiki/Special:Contributions/Some_User',
    );
    expect(userUrl('https://en.wikipedia.org', '2001:db8::1')).toBe(
      'https://en.wikipedia.org/wiki/Special:Contributions/2001%3Adb8%3A%3A1',
    );
  });

  it('never links from a server URL that is not https', () => {
    for (const server of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)//https://en.wikipedia.org',
      'data:text/html,<script>alert(1)</script>',
      'http://en.wikipedia.org',
      '//en.wikipedia.org',
      'en.wikipedia.org',
      'https://user:pass@en.wikipedia.org',
      '',
      null,
      undefined,
    ]) {
      expect(safeOrigin(server), String(server)).toBeNull();
      expect(pageUrl(server, 'Main Page')).toBeNull();
      expect(userUrl(server, 'X')).toBeNull();
      expect(wikiHomeUrl(server)).toBeNull();
      expect(diffUrl(server, { old: 1, new: 2 })).toBeNull();
    }
  });

  it('keeps only the origin of a server URL, so a path in it cannot steer the link', () => {
    expect(pageUrl('https://en.wikipedia.org/evil/../path?x=1#y', 'A')).toBe(
      'https://en.wikipedia.org/wiki/A',
    );
  });

  it('cannot be made to leave the wiki by a hostile title or user', () => {
    const hostile = ['javascript:alert(1)', '../../evil', '//evil.example/x', '<img src=x onerror=alert(1)>'];
    for (const text of hostile) {
      for (const url of [
        pageUrl('https://en.wikipedia.org', text),
        userUrl('https://en.wikipedia.org', text),
      ]) {
        expect(url?.startsWith('https://en.wikipedia.org/wiki/')).toBe(true);
        expect(new URL(url ?? '').origin).toBe('https://en.wikipedia.org');
        expect(url).not.toMatch(/[<>"' ]/);
      }
    }
  });

  it('gives no link for an empty title or user', () => {
    expect(pageUrl('https://en.wikipedia.org', '')).toBeNull();
    expect(userUrl('https://en.wikipedia.org', null)).toBeNull();
  });

  it('accepts only same-origin paths and https wiki links as hrefs', () => {
    expect(isSafeHref('/api/events?format=csv')).toBe(true);
    expect(isSafeHref('https://en.wikipedia.org/wiki/A')).toBe(true);
    expect(isSafeHref('//evil.example')).toBe(false);
    expect(isSafeHref('javascript:alert(1)')).toBe(false);
    expect(isSafeHref('http://en.wikipedia.org')).toBe(false);
  });

  it('links only to Wikimedia project hosts, and shows any other server as plain text', () => {
    for (const server of [
      'https://evil.example',
      'https://wikipedia.org.evil.example',
      'https://enwikipedia.org',
      'https://en.wikipedia.org.',
      'https://xn--wikipdia-f1a.org',
      'https://en.wikipedia.org:8443',
    ]) {
      expect(safeOrigin(server), server).toBeNull();
      expect(pageUrl(server, 'Main Page'), server).toBeNull();
      expect(userUrl(server, 'X'), server).toBeNull();
      expect(diffUrl(server, { old: 1, new: 2 }), server).toBeNull();
      expect(wikiHomeUrl(server), server).toBeNull();
      expect(isSafeHref(`${server}/wiki/A`), server).toBe(false);
    }
    for (const server of [
      'https://en.wikipedia.org',
      'https://www.wikidata.org',
      'https://commons.wikimedia.org',
      'https://meta.wikimedia.org',
      'https://fr.wiktionary.org',
      'https://www.mediawiki.org',
      'https://wikisource.org',
      'https://EN.WIKIPEDIA.ORG',
    ]) {
      expect(pageUrl(server, 'A'), server).toBe(`${server.toLowerCase()}/wiki/A`);
    }
  });

  it('documents its allowlist as domain suffixes that are whole labels', () => {
    expect(WIKIMEDIA_DOMAINS).toContain('wikipedia.org');
    expect(isWikimediaHost('wikipedia.org')).toBe(true);
    expect(isWikimediaHost('de.wikipedia.org')).toBe(true);
    expect(isWikimediaHost('notwikipedia.org')).toBe(false);
    expect(isWikimediaHost('wikipedia.org.evil.example')).toBe(false);
  });

  it('refuses paths that a browser reads as another host', () => {
    for (const href of [
      '/\\evil.example',
      '/\\evil.example/x',
      '\\\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
    ]) {
      expect(isSafeHref(href), JSON.stringify(href)).toBe(false);
    }
    expect(isSafeHref('/api/events?q=a\\b')).toBe(true);
    expect(isSafeHref('?wiki=enwiki')).toBe(true);
  });
});
