import { describe, expect, it } from 'vitest';
import { describeUserAgent, visitorDetails } from '../presentation/visitor-details.ts';
import { mergeVisitorMeta, newVisitorMeta } from './visitor-details.ts';

describe('describeUserAgent', () => {
  it.each([
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.122 Mobile Safari/537.36', 'Chrome 126 on Android'],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      'Safari 17 on iPhone',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87',
      'Edge 126 on Windows',
    ],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0', 'Firefox 127 on macOS'],
    [
      'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36',
      'Samsung Internet 25 on Android',
    ],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0', 'Opera 111 on Linux'],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1',
      'Chrome 126 on iPhone',
    ],
    ['curl/8.5.0', 'curl/8.5.0'],
  ])('%s → %s', (ua, expected) => {
    expect(describeUserAgent(ua)).toBe(expected);
  });
});

describe('visitor meta', () => {
  it('keeps the latest page and the browser, leaves other keys alone, and reports no change as null', () => {
    const first = JSON.stringify(newVisitorMeta({ pageUrl: 'https://shop.example/pricing', userAgent: 'curl/8' }));
    expect(JSON.parse(first)).toEqual({ page_url: 'https://shop.example/pricing', user_agent: 'curl/8' });
    expect(mergeVisitorMeta(first, { pageUrl: 'https://shop.example/pricing', userAgent: 'curl/8' })).toBeNull();
    expect(mergeVisitorMeta(first, {})).toBeNull();
    const moved = mergeVisitorMeta(JSON.stringify({ ...JSON.parse(first), other: 1 }), { pageUrl: 'https://shop.example/checkout' });
    expect(JSON.parse(moved!)).toEqual({ page_url: 'https://shop.example/checkout', user_agent: 'curl/8', other: 1 });
  });

  it('caps what it stores and reads nothing odd out of stored JSON', () => {
    const long = JSON.parse(mergeVisitorMeta(null, { pageUrl: `https://x.example/${'a'.repeat(5000)}`, userAgent: 'u'.repeat(2000) })!);
    expect(long.page_url).toHaveLength(2048);
    expect(long.user_agent).toHaveLength(512);
    const none = { page_url: null, browser: null, language: null, time_zone: null };
    expect(visitorDetails(JSON.stringify({ page_url: 42, user_agent: ['x'], language: 7, time_zone: {} }))).toEqual(none);
    expect(visitorDetails(null)).toEqual(none);
    expect(visitorDetails('not json')).toEqual(none);
  });

  it('keeps the language and time zone the widget reported, and notices when they change', () => {
    const first = mergeVisitorMeta(null, { pageUrl: 'https://shop.example/', language: 'pt-BR', timeZone: 'America/Sao_Paulo' })!;
    expect(visitorDetails(first)).toEqual({ page_url: 'https://shop.example/', browser: null, language: 'pt-BR', time_zone: 'America/Sao_Paulo' });
    expect(mergeVisitorMeta(first, { language: 'pt-BR', timeZone: 'America/Sao_Paulo' })).toBeNull();
    const moved = mergeVisitorMeta(first, { timeZone: 'Europe/Lisbon' });
    expect(visitorDetails(moved)).toMatchObject({ language: 'pt-BR', time_zone: 'Europe/Lisbon' });
  });
});
