import { describe, expect, it } from 'vitest';
import { languageName, placeOf, shortPage, timeThere, visitorFacts } from './visitor-facts.ts';

describe('visitor facts', () => {
  it('shortens http(s) pages and refuses anything else', () => {
    expect(shortPage('https://shop.example/pricing?plan=pro#x')).toBe('shop.example/pricing');
    expect(shortPage('https://shop.example/')).toBe('shop.example');
    expect(shortPage('javascript:alert(1)')).toBeNull();
    expect(shortPage('not a url')).toBeNull();
    expect(shortPage(null)).toBeNull();
  });

  it('names languages and places, and tells the time there', () => {
    expect(languageName('pt-BR')).toBe('Brazilian Portuguese');
    expect(languageName('zz-invalid-!!')).toBe('zz-invalid-!!');
    expect(placeOf('America/Sao_Paulo')).toBe('Sao Paulo');
    const noonUtc = new Date('2026-06-01T12:00:00Z');
    const there = timeThere('Asia/Tokyo', noonUtc);
    expect(there).toBe(new Intl.DateTimeFormat(undefined, { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit' }).format(noonUtc));
    expect(there).toMatch(/21|09/);
    expect(timeThere('Mars/Olympus_Mons')).toBeNull();
  });

  it('lists what is known for the row, in order', () => {
    const at = new Date('2026-06-01T12:00:00Z');
    const contact = { id: 'k', name: null, wa_id: null, page_url: 'https://shop.example/checkout', language: 'de', time_zone: 'Europe/Berlin' };
    const facts = visitorFacts(contact, at);
    expect(facts).toEqual(['shop.example/checkout', 'de', `${timeThere('Europe/Berlin', at)} in Berlin`]);
    expect(visitorFacts({ id: 'k', name: null, wa_id: null })).toEqual([]);
  });
});
