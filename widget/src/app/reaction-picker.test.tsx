// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { ChatItem } from '../chat/chat-items.ts';
import type { ChatSession } from '../chat/chat-session.ts';
import { en } from '../i18n/en.ts';
import { MessageBubble } from './message-bubble.tsx';
import { ReactionPicker } from './reaction-picker.tsx';

const reply = (reactions: ChatItem['reactions'] = []): ChatItem => ({
  key: 'm1',
  id: 'm1',
  clientId: null,
  mine: false,
  text: 'We ship to Porto',
  at: new Date().toISOString(),
  state: null,
  author: 'Ana',
  media: null,
  reactions,
});

/** A session whose socket acks `reaction` with `answer`. */
function fakeSession(answer: (payload: { message_id: string; emoji: string }) => unknown) {
  const emitWithAck = vi.fn(async (_event: string, payload: { message_id: string; emoji: string }) => answer(payload));
  const socket = { timeout: () => ({ emitWithAck }) };
  const stored = vi.fn();
  return { session: { connected: () => socket, stored } as unknown as ChatSession, emitWithAck, stored };
}

const flush = () => act(async () => await new Promise((r) => setTimeout(r, 0)));

describe('the reaction picker', () => {
  it('offers six emoji with the visitor’s own pressed, sends the chosen one and applies the ack', async () => {
    const item = reply([
      { emoji: '👍', from: 'visitor' },
      { emoji: '🎉', from: 'agent' },
    ]);
    const message = { id: 'm1', reactions: [{ emoji: '❤️', from: 'visitor' }] };
    const { session, emitWithAck, stored } = fakeSession(() => ({ ok: true, message }));
    const onClose = vi.fn();
    const el = document.createElement('div');
    render(<ReactionPicker item={item} session={session} lang="en" onClose={onClose} />, el);
    const buttons = [...el.querySelectorAll('button')];
    expect(el.querySelector('[role=group]')!.getAttribute('aria-label')).toBe('Choose a reaction');
    expect(buttons.map((b) => b.textContent)).toEqual(['👍', '❤️', '😂', '😮', '😢', '🙏']);
    expect(buttons.map((b) => b.getAttribute('aria-pressed'))).toEqual(['true', 'false', 'false', 'false', 'false', 'false']);
    buttons[1]!.click();
    await flush();
    expect(emitWithAck).toHaveBeenCalledWith('reaction', { message_id: 'm1', emoji: '❤️' });
    expect(stored).toHaveBeenCalledWith(message);
    expect(onClose).toHaveBeenCalled();
  });

  it('takes the reaction back when the chosen emoji is tapped again, and says so when the server refuses', async () => {
    const { session, emitWithAck, stored } = fakeSession(() => ({ ok: false, error: { code: 'validation_failed', message: 'no' } }));
    const el = document.createElement('div');
    render(<ReactionPicker item={reply([{ emoji: '👍', from: 'visitor' }])} session={session} lang="pt" onClose={() => {}} />, el);
    el.querySelector('button')!.click();
    await flush();
    expect(emitWithAck).toHaveBeenCalledWith('reaction', { message_id: 'm1', emoji: '' });
    expect(stored).not.toHaveBeenCalled();
    expect(el.querySelector('[role=alert]')!.textContent).toBe('Não foi possível reagir. Tente de novo.');
  });
});

describe('reactions on a bubble', () => {
  it('shows every reaction, and a React button on replies only', () => {
    const { session } = fakeSession(() => ({ ok: true }));
    const el = document.createElement('div');
    const draw = (item: ChatItem) =>
      render(<MessageBubble item={item} dict={en} lang="en" base="https://desk.example" first showState={false} onRetry={() => {}} session={session} />, el);
    draw(
      reply([
        { emoji: '👍', from: 'visitor' },
        { emoji: '🎉', from: 'agent' },
      ]),
    );
    expect(el.querySelector('.rx')!.textContent).toBe('👍🎉');
    expect(el.querySelector('button[aria-label=React]')!.getAttribute('aria-expanded')).toBe('false');
    draw({ ...reply([{ emoji: '🙏', from: 'agent' }]), mine: true, state: 'read' });
    expect(el.querySelector('.rx')!.textContent).toBe('🙏');
    expect(el.querySelector('button[aria-label=React]')).toBeNull();
  });
});
