import { describe, expect, it } from 'vitest';
import { linkify, safeHref } from './linkify.ts';

describe('linkify', () => {
  it('turns only http and https URLs into links and keeps the rest as text', () => {
    expect(linkify('see https://example.com/a?b=1 and javascript:alert(1) or ftp://x.org')).toEqual([
      { text: 'see ' },
      { text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { text: ' and javascript:alert(1) or ftp://x.org' },
    ]);
  });

  it('leaves trailing punctuation out of the link but keeps balanced parentheses', () => {
    expect(linkify('Go to http://example.com/x.')).toEqual([{ text: 'Go to ' }, { text: 'http://example.com/x', href: 'http://example.com/x' }, { text: '.' }]);
    expect(linkify('(https://en.wikipedia.org/wiki/Foo_(bar))')).toEqual([
      { text: '(' },
      { text: 'https://en.wikipedia.org/wiki/Foo_(bar)', href: 'https://en.wikipedia.org/wiki/Foo_(bar)' },
      { text: ')' },
    ]);
  });

  it('never links markup or quotes into an attribute', () => {
    const segs = linkify('<a href="https://evil.example/">x</a>');
    expect(segs.filter((s) => s.href).map((s) => s.href)).toEqual(['https://evil.example/']);
    expect(segs.map((s) => s.text).join('')).toBe('<a href="https://evil.example/">x</a>');
  });

  it('safeHref accepts only http(s)', () => {
    expect(safeHref('https://a.example/')).toBe('https://a.example/');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,hi')).toBeNull();
    expect(safeHref('not a url')).toBeNull();
  });
});
