// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { message } from '../test-fixtures.ts';
import { MessageBubble } from './message-bubble.tsx';

let root: HTMLElement;
afterEach(() => {
  render(null, root);
  root.remove();
});

function mount(ui: preact.ComponentChild) {
  root = document.createElement('div');
  document.body.append(root);
  void act(() => render(ui, root));
  return root;
}

describe('a message bubble', () => {
  it('shows hostile text literally', () => {
    const el = mount(<MessageBubble m={message({ text: '<img src=x onerror=alert(1)><script>alert(2)</script>' })} quoted={null} onRetry={async () => {}} />);
    expect(el.querySelector('img')).toBeNull();
    expect(el.querySelector('script')).toBeNull();
    expect(el.textContent).toContain('<img src=x onerror=alert(1)><script>alert(2)</script>');
  });

  it('makes http(s) links clickable in a new tab and leaves javascript: and other schemes as text', () => {
    const text = 'See https://example.com/a?b=1, or javascript:alert(1) and data:text/html,x — also http://x.test/(y).';
    const el = mount(<MessageBubble m={message({ text })} quoted={null} onRetry={async () => {}} />);
    const links = [...el.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://example.com/a?b=1', 'http://x.test/(y)']);
    expect(links.every((a) => a.getAttribute('target') === '_blank' && a.getAttribute('rel') === 'noopener noreferrer')).toBe(true);
    expect(el.textContent).toContain(text);
  });

  it('a failed message explains why, says how to fix it and retries', async () => {
    const onRetry = vi.fn(async () => {});
    const m = message({
      id: 'f1',
      direction: 'outbound',
      sender: 'agent',
      status: 'failed',
      error: { code: '131026', title: 'Message undeliverable', detail: null, explanation: 'The number may not be on WhatsApp.', fix: 'Check the number.' },
    });
    const el = mount(<MessageBubble m={m} quoted={null} onRetry={onRetry} />);
    expect(el.querySelector('[aria-label="Failed"]')).not.toBeNull();
    expect(el.textContent).toContain('Not delivered — Message undeliverable (131026)');
    expect(el.textContent).toContain('The number may not be on WhatsApp.');
    expect(el.textContent).toContain('Fix: Check the number.');
    const retry = [...el.querySelectorAll('button')].find((b) => b.textContent === 'Retry')!;
    await act(async () => retry.click());
    expect(onRetry).toHaveBeenCalledWith('f1');
  });

  it('offers no Retry after 131047 while the window is closed, and Retry once the customer wrote again', () => {
    const m = message({
      id: 'f2',
      direction: 'outbound',
      sender: 'agent',
      status: 'failed',
      error: { code: '131047', title: 'Re-engagement message', detail: null, explanation: 'More than 24 hours have passed.', fix: 'Send a template.' },
    });
    const el = mount(<MessageBubble m={m} quoted={null} onRetry={async () => {}} windowOpen={false} />);
    expect(el.textContent).toContain('Not delivered — Re-engagement message (131047)');
    expect([...el.querySelectorAll('button')].map((b) => b.textContent)).not.toContain('Retry');
    expect(el.textContent).toContain('Send an approved template from the composer below.');
    const reopened = mount(<MessageBubble m={m} quoted={null} onRetry={async () => {}} windowOpen />);
    expect([...reopened.querySelectorAll('button')].map((b) => b.textContent)).toContain('Retry');
  });

  it('renders types faithfully: documents download, locations link to the map, replies quote, notes are marked', () => {
    const doc = mount(
      <MessageBubble
        m={message({
          type: 'document',
          text: 'invoice.pdf',
          media: { id: 'md', mime: 'application/pdf', size: 2048, filename: 'invoice.pdf', url: '/admin/api/media/md', ready: true },
        })}
        quoted={null}
        onRetry={async () => {}}
      />,
    );
    const a = doc.querySelector('a')!;
    expect(a.getAttribute('href')).toBe('/admin/api/media/md');
    expect(a.getAttribute('download')).toBe('invoice.pdf');
    expect(a.textContent).toContain('2.0 KB');
    render(null, root);
    root.remove();

    const loc = mount(
      <MessageBubble
        m={message({ type: 'location', content: { latitude: 1.5, longitude: 2.25 }, context: { message_id: 'q', wamid: null, text: 'Where are you?' } })}
        quoted={null}
        onRetry={async () => {}}
      />,
    );
    expect(loc.querySelector('a')!.getAttribute('href')).toBe('https://www.openstreetmap.org/?mlat=1.5&mlon=2.25#map=16/1.5/2.25');
    expect(loc.querySelector('blockquote')!.textContent).toContain('Where are you?');
    render(null, root);
    root.remove();

    const note = mount(
      <MessageBubble
        m={message({ is_note: true, direction: 'outbound', sender: 'agent', author_name: 'Sam', text: 'internal' })}
        quoted={null}
        onRetry={async () => {}}
      />,
    );
    expect(note.querySelector('.msg-note')).not.toBeNull();
    expect(note.textContent).toContain('Internal note · Sam');
    expect(note.querySelector('.ticks')).toBeNull();
  });
});
