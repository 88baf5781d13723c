import { describe, expect, it } from 'vitest';
import { clientInfo } from './client-info.ts';

const fakeWindow = (href: string, language: string) => ({ location: { href }, navigator: { language } }) as unknown as Window;

describe('what the widget says about its visitor', () => {
  it('sends the page, language and time zone when they are well-formed', () => {
    const info = clientInfo(fakeWindow('https://shop.example/pricing?plan=pro', 'pt-BR'));
    expect(info.page_url).toBe('https://shop.example/pricing?plan=pro');
    expect(info.language).toBe('pt-BR');
    expect(info.time_zone).toBe(new Intl.DateTimeFormat().resolvedOptions().timeZone);
  });

  it('leaves out what the server would refuse and cuts long pages to 2048 characters', () => {
    expect(clientInfo(fakeWindow('file:///home/me/page.html', 'x')).page_url).toBeUndefined();
    expect(clientInfo(fakeWindow('about:blank', '')).language).toBeUndefined();
    expect(clientInfo(fakeWindow(`https://x.example/${'a'.repeat(5000)}`, 'en')).page_url).toHaveLength(2048);
    expect(clientInfo(fakeWindow('https://x.example/', 'en-US-x-very-long-private-use-tag-here')).language).toBeUndefined();
  });
});
