import { describe, expect, it, vi } from 'vitest';
import type { PublicMessage, WidgetApp } from '../contract.ts';
import { createApi, type ApiBackend } from './api.ts';

function backend() {
  const calls: string[] = [];
  const app: WidgetApp = { open: () => calls.push('open'), close: () => calls.push('close'), identify: (i) => calls.push(`identify:${JSON.stringify(i)}`) };
  let loading: Promise<WidgetApp> | null = null;
  let open = false;
  const b: ApiBackend & { calls: string[]; remembered: unknown[] } = {
    calls,
    remembered: [],
    load: () => (loading ??= Promise.resolve(app)),
    loaded: () => loading,
    isOpen: () => open,
    rememberIdentity: (i) => b.remembered.push(i),
  };
  app.open = () => {
    open = true;
    calls.push('open');
  };
  return b;
}

describe('ConnectDesk global', () => {
  it('works as a function and as an object, and loads the UI only when needed', async () => {
    const b = backend();
    const { api } = createApi(b, '1.0.0');
    api('close'); // nothing loaded: no load is forced
    expect(b.loaded()).toBeNull();
    api('open');
    await b.loaded();
    await Promise.resolve();
    api.close();
    await Promise.resolve();
    expect(b.calls).toEqual(['open', 'close']);
    expect(api.version).toBe('1.0.0');
    expect(api('no-such-method')).toBeUndefined();
  });

  it('keeps only string identity fields', async () => {
    const b = backend();
    const { api } = createApi(b, '1');
    api.identify({ name: 'Ana', email: 'ana@example.com', phone: 42 as unknown as string, role: 'admin' } as never);
    expect(b.remembered).toEqual([{ name: 'Ana', email: 'ana@example.com' }]);
  });

  it('delivers messages to listeners, survives a throwing listener and supports off()', () => {
    vi.useFakeTimers();
    const { api, emit } = createApi(backend(), '1');
    const got: string[] = [];
    const fn = (m: PublicMessage) => got.push(m.text);
    api.on('message', () => {
      throw new Error('host bug');
    });
    api.on('message', fn);
    const m: PublicMessage = { id: '1', text: 'hi', direction: 'outbound', sender: 'agent', author_name: null, created_at: '' };
    emit(m);
    api.off('message', fn);
    emit(m);
    expect(got).toEqual(['hi']);
    expect(() => vi.runAllTimers()).toThrow('host bug'); // re-thrown asynchronously, as the host's own error
    vi.useRealTimers();
  });
});
