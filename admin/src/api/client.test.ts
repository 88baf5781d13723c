import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApi, filtersToQuery } from './client.ts';

function fakeFetch(status: number, body: unknown) {
  return vi.fn(async () => new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
}

describe('the REST client', () => {
  it('turns filters into the list query', () => {
    expect(filtersToQuery({ status: 'open', channel: 'all', assignee: 'all', q: '' })).toBe('?status=open');
    expect(filtersToQuery({ status: 'all', channel: 'whatsapp', assignee: 'me', q: ' ana ' }, { cursor: 'x' })).toBe(
      '?channel=whatsapp&assignee=me&q=ana&cursor=x',
    );
  });

  it('sends JSON with the same-origin session and returns the body', async () => {
    const f = fakeFetch(201, { message: { id: 'm1' } });
    const api = createApi({ fetch: f });
    const res = await api.sendMessage('c/1', { message_type: 'text', text: 'hi' });
    expect(res.message.id).toBe('m1');
    const [url, init] = f.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/admin/api/conversations/c%2F1/messages');
    expect(init).toMatchObject({ method: 'POST', credentials: 'same-origin', body: JSON.stringify({ message_type: 'text', text: 'hi' }) });
  });

  it('a 401 ends the session; errors keep the server’s code and message', async () => {
    const onUnauthorized = vi.fn();
    const api = createApi({ fetch: fakeFetch(401, { error: { code: 'unauthorized', message: 'sign in first' } }), onUnauthorized });
    await expect(api.conversations({ status: 'open', channel: 'all', assignee: 'all', q: '' })).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);

    const wrong = createApi({ fetch: fakeFetch(401, { error: { code: 'unauthorized', message: 'wrong email or password' } }), onUnauthorized });
    await expect(wrong.signIn('a@b.c', 'x')).rejects.toBeInstanceOf(ApiError);
    expect(onUnauthorized).toHaveBeenCalledTimes(1); // a failed sign-in is not an expired session

    const closed = createApi({ fetch: fakeFetch(422, { error: { code: 'window_closed', message: 'closed' } }) });
    await expect(closed.sendMessage('c', { message_type: 'text', text: 'x' })).rejects.toMatchObject({ status: 422, code: 'window_closed', message: 'closed' });
  });

  it('204 resolves; a network failure becomes a readable error', async () => {
    await expect(createApi({ fetch: fakeFetch(204, null) }).revokeToken('t')).resolves.toBeUndefined();
    const down = createApi({ fetch: vi.fn(async () => Promise.reject(new TypeError('fetch failed'))) });
    await expect(down.agents()).rejects.toMatchObject({ code: 'network' });
  });

  it('reads the sandbox inbox as a bare list or a data page', async () => {
    expect(await createApi({ fetch: fakeFetch(200, [{ wamid: 'w', type: 'text' }]) }).sandboxInbox('155')).toHaveLength(1);
    expect(await createApi({ fetch: fakeFetch(200, { data: [] }) }).sandboxInbox('155')).toEqual([]);
  });

  it('asks who is signed in only once an own password change has its answer (and the new cookie)', async () => {
    const sent: string[] = [];
    let answerChange: (res: Response) => void = () => {};
    const f = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
      const path = url instanceof Request ? url.url : url.toString();
      sent.push(`${init?.method} ${path}`);
      if (path === '/admin/api/me/password') return new Promise<Response>((resolve) => (answerChange = resolve));
      return new Response(JSON.stringify({ user: { id: 'u1' } }), { status: 200 });
    });
    const api = createApi({ fetch: f as unknown as typeof fetch });
    const change = api.changePassword('old-password', 'new-password');
    // The server cut the socket while the change was in flight; the app asks who is signed in.
    const asked = api.currentSession();
    await Promise.resolve();
    expect(sent).toEqual(['PUT /admin/api/me/password']);
    answerChange(new Response(JSON.stringify({ user: { id: 'u1' } }), { status: 200 }));
    await change;
    await expect(asked).resolves.toEqual({ user: { id: 'u1' } });
    expect(sent).toEqual(['PUT /admin/api/me/password', 'GET /admin/api/session']);
  });
});
