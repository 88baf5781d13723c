// @vitest-environment happy-dom
// @vitest-environment-options { "settings": { "disableJavaScriptFileLoading": true, "handleDisabledFileLoadingAsSuccess": true } }
import { describe, expect, it } from 'vitest';
import { baseFromSrc, findScript, pickLang, readScriptOptions } from './script-options.ts';

describe('script options', () => {
  it('derives the server from the script src, keeping a path prefix', () => {
    expect(baseFromSrc('https://desk.example.com/widget.js')).toBe('https://desk.example.com');
    expect(baseFromSrc('https://desk.example.com/widget.js?v=3')).toBe('https://desk.example.com');
    expect(baseFromSrc('https://example.com/support/widget.js')).toBe('https://example.com/support');
  });

  it('reads data-* options and ignores invalid ones', () => {
    const s = document.createElement('script');
    s.src = 'https://desk.example.com/widget.js';
    s.dataset.position = 'left';
    s.dataset.color = '#12ab34';
    s.dataset.greeting = 'Hola';
    s.dataset.lang = 'es';
    s.dataset.siteKey = 'site-1';
    expect(readScriptOptions(s)).toEqual({
      base: 'https://desk.example.com',
      siteKey: 'site-1',
      position: 'left',
      color: '#12ab34',
      greeting: 'Hola',
      lang: 'es',
    });
    s.dataset.position = 'top';
    s.dataset.color = 'red;background:url(x)';
    expect(readScriptOptions(s)).toMatchObject({ position: null, color: null });
  });

  it('finds its own script tag when currentScript is gone', () => {
    document.body.innerHTML = '<script src="https://cdn.example/other.js"></script><script src="https://desk.example.com/widget.js" async></script>';
    expect(findScript(document)?.src).toBe('https://desk.example.com/widget.js');
  });

  it('picks the language from data-lang, then the browser, else English', () => {
    expect(pickLang('ar', ['en-US'])).toBe('ar');
    expect(pickLang(null, ['fr-FR', 'pt-BR'])).toBe('pt');
    expect(pickLang('xx', ['bn-BD'])).toBe('bn');
    expect(pickLang(null, ['de'])).toBe('en');
    expect(pickLang('ES_mx', [])).toBe('es');
  });
});
