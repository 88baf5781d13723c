// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Api } from '../api/client.ts';
import type { TemplateJson } from '../api/types.ts';
import { AppContext, type AppContextValue } from '../context.ts';
import { conversation, message } from '../test-fixtures.ts';
import { Composer } from './composer.tsx';

const reopen: TemplateJson = {
  id: 't1',
  name: 'connectdesk_reopen',
  language: 'en_US',
  category: 'UTILITY',
  status: 'APPROVED',
  body: 'Hi {{1}}, shall we continue?',
  header: null,
  footer: null,
  buttons: [],
  parameter_count: 1,
  parameter_format: 'POSITIONAL',
  header_format: null,
  variables: ['1'],
  quality: null,
  sendable: true,
  warning: null,
  disable_date: null,
  locked: false,
  category_change: null,
  status_reason: null,
  updated_at: '2026-11-27T00:00:00Z',
};

let root: HTMLElement;
afterEach(() => {
  render(null, root);
  root.remove();
});

const flush = () => act(async () => new Promise((r) => setTimeout(r, 0)));

async function mount(conv = conversation(), extra: Record<string, unknown> = {}) {
  const sendMessage = vi.fn(async (_id: string, body: unknown) => ({ message: message({ id: 'sent', text: JSON.stringify(body) }), ...extra }));
  const api = {
    canned: async () => ({ data: [{ id: 'k', shortcut: 'hours', text: 'Open 9–5' }] }),
    templates: async () => ({ data: [reopen, { ...reopen, id: 't2', name: 'draft', status: 'PENDING' }] }),
    sendMessage,
  } as unknown as Api;
  const onSent = vi.fn();
  root = document.createElement('div');
  document.body.append(root);
  const ctx = { api, socket: null } as unknown as AppContextValue;
  void act(() =>
    render(
      <AppContext.Provider value={ctx}>
        <Composer conversation={conv} onSent={onSent} />
      </AppContext.Provider>,
      root,
    ),
  );
  await flush();
  return { sendMessage, onSent };
}

function type(el: HTMLTextAreaElement | HTMLInputElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

function key(el: Element, k: string, shiftKey = false) {
  el.dispatchEvent(new KeyboardEvent('keydown', { key: k, shiftKey, bubbles: true, cancelable: true }));
}

describe('the composer', () => {
  it('Enter sends, Shift+Enter does not', async () => {
    const { sendMessage, onSent } = await mount();
    const box = root.querySelector<HTMLTextAreaElement>('#composer-text')!;
    expect(root.querySelector('label[for="composer-text"]')!.textContent).toBe('Message');
    await act(async () => type(box, 'first line'));
    await act(async () => key(box, 'Enter', true));
    expect(sendMessage).not.toHaveBeenCalled();
    await act(async () => key(box, 'Enter'));
    await flush();
    expect(sendMessage).toHaveBeenCalledWith('c1', { message_type: 'text', text: 'first line' });
    expect(onSent).toHaveBeenCalledTimes(1);
    expect(box.value).toBe('');
  });

  it('says when a reply reached the web chat but was refused for the visitor’s unverified WhatsApp number', async () => {
    const refused = {
      to: '+447700900123',
      status: 'refused',
      error: { code: 'phone_unverified', message: '+447700900123 is unverified: the visitor was asked to send their code' },
    };
    await mount(conversation(), { continuation: refused });
    const box = root.querySelector<HTMLTextAreaElement>('#composer-text')!;
    await act(async () => type(box, 'Your parcel left today.'));
    await act(async () => key(box, 'Enter'));
    await flush();
    const status = root.querySelector('[role="status"]')!;
    expect(status.textContent).toBe('Sent in the chat only, not to WhatsApp: +447700900123 is unverified: the visitor was asked to send their code.');
  });

  it('/shortcut inserts a canned response', async () => {
    await mount();
    const box = root.querySelector<HTMLTextAreaElement>('#composer-text')!;
    await act(async () => type(box, '/ho'));
    expect(root.querySelector('[role="listbox"]')!.textContent).toContain('/hours');
    await act(async () => key(box, 'Enter'));
    expect(box.value).toBe('Open 9–5');
  });

  it('when the WhatsApp window closed it says why and sends an approved template with its parameters', async () => {
    const { sendMessage } = await mount(conversation({ channel: 'whatsapp', window: { open: false, closes_at: '2026-11-20T00:00:00Z' } }));
    expect(root.textContent).toContain('The 24-hour window closed — WhatsApp only allows an approved template now');
    expect(root.querySelector('#composer-text')).toBeNull();
    const select = root.querySelector<HTMLSelectElement>('select[aria-label="Template"]')!;
    expect([...select.querySelectorAll('optgroup')].map((g) => g.label)).toEqual(['Utility']);
    expect(select.textContent).not.toContain('draft');
    await act(async () => {
      select.value = 'connectdesk_reopen|en_US';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    const param = root.querySelector<HTMLInputElement>('input[aria-label="Parameter 1"]')!;
    await act(async () => type(param, 'Olga'));
    expect(root.querySelector('[aria-label="Preview"]')!.textContent).toContain('Hi Olga, shall we continue?');
    await act(async () => root.querySelector<HTMLFormElement>('form.template-picker')!.requestSubmit());
    await flush();
    expect(sendMessage).toHaveBeenCalledWith('c1', {
      message_type: 'template',
      template: { name: 'connectdesk_reopen', language: 'en_US', parameters: ['Olga'] },
    });
  });

  it('a missing template parameter is reported before anything is sent', async () => {
    const { sendMessage } = await mount(conversation({ channel: 'whatsapp', window: { open: false, closes_at: null } }));
    const select = root.querySelector<HTMLSelectElement>('select[aria-label="Template"]')!;
    await act(async () => {
      select.value = 'connectdesk_reopen|en_US';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await act(async () => root.querySelector<HTMLFormElement>('form.template-picker')!.requestSubmit());
    expect(root.querySelector('[role="alert"]')!.textContent).toBe('Fill in parameter {{1}}.');
    expect(sendMessage).not.toHaveBeenCalled();
  });
});
