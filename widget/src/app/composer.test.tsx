// @vitest-environment happy-dom
import { render } from 'preact';
import { describe, expect, it, vi } from 'vitest';
import { en } from '../i18n/en.ts';
import { Composer } from './composer.tsx';

function setup() {
  const el = document.createElement('div');
  document.body.append(el);
  const onSend = vi.fn();
  const onTyping = vi.fn();
  const onFile = vi.fn(() => 'too_big' as const);
  render(<Composer dict={en} onSend={onSend} onTyping={onTyping} onFile={onFile} />, el);
  const ta = el.querySelector('textarea')!;
  const type = (value: string) => {
    ta.value = value;
    ta.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const key = (init: KeyboardEventInit) => ta.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
  return { el, ta, type, key, onSend, onTyping, onFile };
}

describe('Composer', () => {
  it('is a textbox labelled "Message" with a labelled send button', () => {
    const { ta, el } = setup();
    expect(ta.getAttribute('aria-label')).toBe('Message');
    expect(el.querySelector('button[type=submit]')!.getAttribute('aria-label')).toBe('Send');
  });

  it('sends on Enter, adds a line on Shift+Enter, and ignores blank messages', async () => {
    const { type, key, onSend, onTyping } = setup();
    type('   ');
    key({ key: 'Enter' });
    expect(onSend).not.toHaveBeenCalled();
    type('hello');
    expect(onTyping).toHaveBeenCalled();
    await Promise.resolve();
    expect(key({ key: 'Enter', shiftKey: true })).toBe(true); // not prevented: the newline goes in
    expect(onSend).not.toHaveBeenCalled();
    key({ key: 'Enter' });
    expect(onSend).toHaveBeenCalledWith('hello');
  });

  it('explains a refused file', async () => {
    const { el, onFile } = setup();
    const input = el.querySelector('input[type=file]') as HTMLInputElement;
    const file = new File(['x'], 'huge.png', { type: 'image/png' });
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await new Promise((r) => setTimeout(r, 0));
    expect(onFile).toHaveBeenCalledWith(file);
    expect(el.querySelector('[role=alert]')!.textContent).toBe('Files can be up to 10 MB.');
  });
});
