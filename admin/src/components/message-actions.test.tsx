// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Api } from '../api/client.ts';
import type { MessageJson } from '../api/types.ts';
import { AppContext, type AppContextValue } from '../context.ts';
import { conversation, message } from '../test-fixtures.ts';
import { Composer } from './composer.tsx';
import { MessageBubble } from './message-bubble.tsx';

let root: HTMLElement;
afterEach(() => {
  render(null, root);
  root.remove();
});

const flush = () => act(async () => new Promise((r) => setTimeout(r, 0)));

function mountBubble(m: MessageJson, onReact = vi.fn(async () => {}), onReply = vi.fn()) {
  root = document.createElement('div');
  document.body.append(root);
  render(<MessageBubble m={m} quoted={null} onRetry={async () => {}} onReact={onReact} onReply={onReply} />, root);
  return { onReact, onReply };
}

const button = (name: string) => root.querySelector<HTMLButtonElement>(`button[aria-label="${name}"]`);

describe('message actions', () => {
  it('React opens six emoji with the team’s reaction pressed; choosing it again takes it back', async () => {
    const m = message({
      id: 'm1',
      reactions: [
        { emoji: '❤️', from: 'agent' },
        { emoji: '👍', from: '351910000001' },
      ],
    });
    const { onReact } = mountBubble(m);
    expect([...root.querySelectorAll('.msg-reactions li')].map((li) => [li.textContent, li.getAttribute('title')])).toEqual([
      ['❤️', 'Your team reacted'],
      ['👍', 'Customer reacted'],
    ]);
    await act(async () => button('React')!.click());
    const picker = root.querySelector('[role="group"][aria-label="Choose a reaction"]')!;
    const emoji = [...picker.querySelectorAll('button')];
    expect(emoji.map((b) => b.textContent)).toEqual(['👍', '❤️', '😂', '😮', '😢', '🙏']);
    expect(emoji.map((b) => b.getAttribute('aria-pressed'))).toEqual(['false', 'true', 'false', 'false', 'false', 'false']);
    expect(document.activeElement).toBe(emoji[0]);
    await act(async () => emoji[1]!.click());
    await flush();
    expect(onReact).toHaveBeenCalledWith(m, '');
    expect(root.querySelector('[aria-label="Choose a reaction"]')).toBeNull();
    expect(document.activeElement).toBe(button('React'));
  });

  it('keeps the picker open with the reason when the server refuses, and Escape closes it', async () => {
    mountBubble(
      message({ id: 'm1' }),
      vi.fn(async () => {
        throw new Error('this message has no WhatsApp id yet');
      }),
    );
    await act(async () => button('React')!.click());
    await act(async () => root.querySelector<HTMLButtonElement>('.reaction-picker button')!.click());
    await flush();
    expect(root.querySelector('[role="alert"]')!.textContent).toBe('this message has no WhatsApp id yet');
    await act(async () => {
      root.querySelector('.reaction-picker')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    expect(root.querySelector('.reaction-picker')).toBeNull();
  });

  it('offers no actions on notes and deleted messages; Reply hands the message over', async () => {
    mountBubble(message({ is_note: true }));
    expect(button('React')).toBeNull();
    render(null, root);
    mountBubble(message({ deleted: true }));
    expect(button('Reply')).toBeNull();
    render(null, root);
    const m = message({ id: 'm9' });
    const { onReply } = mountBubble(m);
    await act(async () => button('Reply')!.click());
    expect(onReply).toHaveBeenCalledWith(m);
  });
});

describe('replying with a quote', () => {
  it('shows the quoted message, sends reply_to with text, and × cancels', async () => {
    const sendMessage = vi.fn(async () => ({ message: message({ id: 'sent' }) }));
    const api = { canned: async () => ({ data: [] }), sendMessage } as unknown as Api;
    const onClearReply = vi.fn();
    root = document.createElement('div');
    document.body.append(root);
    const quoted = message({ id: 'q1', text: 'Is it waterproof?', sender: 'visitor' });
    await act(() =>
      render(
        <AppContext.Provider value={{ api, socket: null } as unknown as AppContextValue}>
          <Composer conversation={conversation()} onSent={() => {}} replyTo={quoted} onClearReply={onClearReply} />
        </AppContext.Provider>,
        root,
      ),
    );
    await flush();
    const preview = root.querySelector('[aria-label="Replying to"]')!;
    expect(preview.textContent).toContain('Replying to Visitor');
    expect(preview.textContent).toContain('Is it waterproof?');
    const box = root.querySelector<HTMLTextAreaElement>('#composer-text')!;
    expect(document.activeElement).toBe(box);
    box.value = 'Yes, to 30 m';
    await act(async () => {
      box.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await act(async () => {
      box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    });
    await flush();
    expect(sendMessage).toHaveBeenCalledWith('c1', { message_type: 'text', text: 'Yes, to 30 m', reply_to: 'q1' });
    expect(onClearReply).toHaveBeenCalledTimes(1);
    await act(async () => button('Cancel reply')!.click());
    expect(onClearReply).toHaveBeenCalledTimes(2);
  });
});
