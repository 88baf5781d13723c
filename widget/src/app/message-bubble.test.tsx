// @vitest-environment happy-dom
import { render } from 'preact';
import { describe, expect, it, vi } from 'vitest';
import type { ChatItem } from '../chat/chat-items.ts';
import { en } from '../i18n/en.ts';
import { MessageBubble } from './message-bubble.tsx';

const item = (p: Partial<ChatItem>): ChatItem => ({
  key: 'k',
  id: 'm1',
  clientId: null,
  mine: false,
  text: '',
  at: new Date().toISOString(),
  state: null,
  author: 'Ana',
  media: null,
  ...p,
});

function draw(it: ChatItem, opts: { showState?: boolean; onRetry?: (i: ChatItem) => void } = {}) {
  const el = document.createElement('div');
  render(
    <MessageBubble item={it} dict={en} lang="en" base="https://desk.example" first showState={opts.showState ?? true} onRetry={opts.onRetry ?? (() => {})} />,
    el,
  );
  return el;
}

describe('MessageBubble', () => {
  it("shows a quote as text and an agent's file as a download card with its name and size", () => {
    const el = draw(
      item({
        text: '',
        quote: '<b>Is it waterproof?</b>',
        media: { url: '/api/media/m1?exp=1&sig=x', mime: 'application/pdf', filename: 'guide.pdf', size: 1536 },
      }),
    );
    expect(el.querySelector('blockquote')!.textContent).toBe('In reply to: <b>Is it waterproof?</b>');
    expect(el.querySelector('b')).toBeNull();
    const card = el.querySelector('a')!;
    expect(card.getAttribute('href')).toBe('https://desk.example/api/media/m1?exp=1&sig=x');
    expect(card.getAttribute('download')).toBe('guide.pdf');
    expect(card.textContent).toBe('guide.pdf1.5 KB');
  });

  it('renders markup as text and links only http(s) URLs, opening safely in a new tab', () => {
    const el = draw(item({ text: '<img src=x onerror=alert(1)> javascript:alert(1) https://example.com/a' }));
    expect(el.querySelector('img')).toBeNull();
    expect(el.querySelector('.bb')!.textContent).toBe('<img src=x onerror=alert(1)> javascript:alert(1) https://example.com/a');
    const links = [...el.querySelectorAll('a')];
    expect(links.map((a) => [a.getAttribute('href'), a.getAttribute('rel'), a.getAttribute('target')])).toEqual([
      ['https://example.com/a', 'noopener noreferrer', '_blank'],
    ]);
    expect(el.querySelector('.who')!.textContent).toBe('Ana');
  });

  it('shows the delivery state of the visitor’s own messages and a retry for failed ones', () => {
    expect(draw(item({ mine: true, text: 'hi', state: 'read' })).querySelector('[data-state]')!.textContent).toBe('Read');
    expect(draw(item({ mine: true, text: 'hi', state: 'sent' }), { showState: false }).querySelector('[data-state]')).toBeNull();
    expect(draw(item({ mine: true, text: 'hi', state: 'sending' }), { showState: false }).querySelector('[data-state]')!.textContent).toBe('Sending…');
    const onRetry = vi.fn();
    const failed = draw(item({ mine: true, text: 'hi', state: 'failed' }), { onRetry });
    expect(failed.textContent).toContain('Not sent');
    (failed.querySelector('button') as HTMLButtonElement).click();
    expect(onRetry).toHaveBeenCalledOnce();
  });

  it('never loads agent-only media URLs, and shows the file name instead', () => {
    const el = draw(item({ media: { url: '/admin/api/media/1', mime: 'image/png', filename: 'shot.png' } }));
    expect(el.querySelector('img')).toBeNull();
    expect(el.querySelector('a')).toBeNull();
    expect(el.textContent).toContain('shot.png');
  });
});
