// @vitest-environment happy-dom
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import type { MessageJson } from '@connectdesk/shared';
import { fromServer } from '../chat/chat-items.ts';
import { en } from '../i18n/en.ts';
import { LocationCard, mapHref } from './location-card.tsx';
import { MessageBubble } from './message-bubble.tsx';

const LOC = { latitude: 38.7223, longitude: -9.1393, name: 'Shop <b>1</b>', address: 'Rua Augusta 1' };

function locationMessage(location: unknown): MessageJson {
  return {
    id: 'm1',
    conversation_id: 'c1',
    direction: 'outbound',
    sender: 'agent',
    type: 'location',
    text: '📍 Location: Shop, Rua Augusta 1 (38.7223, -9.1393)',
    content: { location },
    wamid: null,
    status: 'sent',
    error: null,
    context: null,
    reactions: [],
    media: null,
    template: null,
    is_note: false,
    client_id: null,
    author_name: 'Ana',
    created_at: new Date().toISOString(),
    sent_at: null,
    edited_at: null,
    deleted: false,
  };
}

describe('LocationCard', () => {
  it('shows the name and address as text, and a map link that opens OpenStreetMap in a new tab', () => {
    const el = document.createElement('div');
    render(<LocationCard loc={LOC} lang="pt" />, el);
    expect(el.querySelector('b')!.textContent).toBe('📍 Shop <b>1</b>');
    expect(el.textContent).toContain('Rua Augusta 1');
    expect(el.textContent).toContain('38.7223, -9.1393');
    const a = el.querySelector('a')!;
    expect(a.getAttribute('href')).toBe('https://www.openstreetmap.org/?mlat=38.7223&mlon=-9.1393#map=16/38.7223/-9.1393');
    expect([a.getAttribute('target'), a.getAttribute('rel'), a.textContent]).toEqual(['_blank', 'noopener noreferrer', 'Abrir no mapa']);
  });

  it('names an unnamed place by its coordinates and links nothing for impossible ones', () => {
    expect(mapHref({ latitude: 91, longitude: 0 })).toBeNull();
    expect(mapHref({ latitude: Number.NaN, longitude: 0 })).toBeNull();
    expect(mapHref({ latitude: -33.85680001, longitude: 151.2153 })).toBe(
      'https://www.openstreetmap.org/?mlat=-33.8568&mlon=151.2153#map=16/-33.8568/151.2153',
    );
    const el = document.createElement('div');
    render(<LocationCard loc={{ latitude: 1.5, longitude: 2 }} lang="xx" />, el);
    expect(el.querySelector('b')!.textContent).toBe('📍 1.5, 2');
    expect(el.querySelector('a')!.textContent).toBe('Open in map');
  });

  it("is what a location message's bubble shows once its chunk has loaded (its summary until then)", async () => {
    const item = fromServer(locationMessage(LOC));
    expect(item.loc).toEqual(LOC);
    const el = document.createElement('div');
    render(<MessageBubble item={item} dict={en} lang="en" base="https://desk.example" first showState={false} onRetry={() => {}} />, el);
    expect(el.querySelector('.bb')!.textContent).toContain('📍 Location: Shop');
    await expect.poll(() => el.querySelector('.lc a')?.getAttribute('href')).toMatch(/^https:\/\/www\.openstreetmap\.org\//);
  });
});
