import { describe, expect, it } from 'vitest';
import { GraphClient, type GraphClientOptions } from './graph-client.ts';
import { GraphApiError, GraphTransportError, errorCodeOf } from './graph-error.ts';

type Call = { url: string; method: string; headers: Record<string, string>; body: unknown };

/** A GraphClient whose fetch answers from `respond` and records every call. */
function clientWith(respond: (call: Call, index: number) => Response | Promise<Response>, opts: Partial<GraphClientOptions> = {}) {
  const calls: Call[] = [];
  const fakeFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const call = { url: String(input), method: init?.method ?? 'GET', headers: (init?.headers ?? {}) as Record<string, string>, body: init?.body };
    calls.push(call);
    return respond(call, calls.length - 1);
  }) as typeof fetch;
  const client = new GraphClient({
    baseUrl: 'https://graph.example/',
    version: 'v25.0',
    token: 'EAAsecret-token',
    phoneNumberId: '111',
    wabaId: '222',
    fetch: fakeFetch,
    ...opts,
  });
  return { client, calls };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const sent = json(200, { messaging_product: 'whatsapp', contacts: [{ input: '1555', wa_id: '1555' }], messages: [{ id: 'wamid.A' }] });

describe('GraphClient requests', () => {
  it('posts JSON to /{version}/{phone-number-id}/messages with the bearer token', async () => {
    const { client, calls } = clientWith(() => sent.clone());
    await client.sendText('1555', 'hi', { replyTo: 'wamid.Q' });
    expect(calls[0]!.url).toBe('https://graph.example/v25.0/111/messages');
    expect(calls[0]!.method).toBe('POST');
    expect(calls[0]!.headers).toMatchObject({ authorization: 'Bearer EAAsecret-token', 'content-type': 'application/json' });
    expect(JSON.parse(calls[0]!.body as string)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '1555',
      type: 'text',
      context: { message_id: 'wamid.Q' },
      text: { body: 'hi' },
    });
  });

  it('builds template components: header, body and URL button parameters', async () => {
    const { client, calls } = clientWith(() => sent.clone());
    await client.sendTemplate(
      '1555',
      { name: 't', language: 'en_US', parameters: ['a', 'b'], headerParameters: ['h'], buttonParameters: ['x'] },
      { phoneNumberId: '999', token: 'other' },
    );
    expect(calls[0]!.url).toBe('https://graph.example/v25.0/999/messages');
    expect(calls[0]!.headers.authorization).toBe('Bearer other');
    expect(JSON.parse(calls[0]!.body as string).template).toEqual({
      name: 't',
      language: { code: 'en_US' },
      components: [
        { type: 'header', parameters: [{ type: 'text', text: 'h' }] },
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'a' },
            { type: 'text', text: 'b' },
          ],
        },
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'x' }] },
      ],
    });
  });

  it('a template without parameters sends no components', async () => {
    const { client, calls } = clientWith(() => sent.clone());
    await client.sendTemplate('1555', { name: 'hello_world', language: 'en_US' });
    expect(JSON.parse(calls[0]!.body as string).template).toEqual({ name: 'hello_world', language: { code: 'en_US' } });
  });

  it('stops following template pages when a cursor repeats', async () => {
    const page = json(200, {
      data: [{ id: '1', name: 'a', language: 'en_US', status: 'APPROVED', category: 'UTILITY', components: [] }],
      paging: { cursors: { after: 'SAME' }, next: 'https://graph.example/next' },
    });
    const { client, calls } = clientWith(() => page.clone());
    const all = await client.listTemplates();
    expect(calls).toHaveLength(2);
    expect(all).toHaveLength(2);
    expect(calls[1]!.url).toContain('after=SAME');
  });
});

describe('GraphClient failures', () => {
  it('a network failure is a GraphTransportError without the token in it', async () => {
    const { client } = clientWith(() => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' } });
    });
    const err = await client.sendText('1555', 'hi').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphTransportError);
    expect(errorCodeOf(err)).toBe('network');
    expect((err as Error).message).toContain('ECONNREFUSED');
    expect((err as Error).message).not.toContain('EAAsecret-token');
  });

  it('a response that never comes is a timeout', async () => {
    const hang = ((_input: string | URL | Request, init?: RequestInit) =>
      new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))) as typeof fetch;
    const slow = new GraphClient({
      baseUrl: 'https://graph.example',
      version: 'v25.0',
      token: 't',
      phoneNumberId: '1',
      wabaId: '2',
      fetch: hang,
      timeoutMs: 50,
    });
    const err = await slow.getPhoneNumber().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphTransportError);
    expect(errorCodeOf(err)).toBe('timeout');
    expect((err as Error).message).toMatch(/timed out after 50 ms/);
  });

  it('a 200 that is not JSON, or not the expected shape, is an unexpected response', async () => {
    const notJson = clientWith(() => new Response('<html>', { status: 200 }));
    expect(errorCodeOf(await notJson.client.getPhoneNumber().catch((e: unknown) => e))).toBe('http_200');
    const wrongShape = clientWith(() => json(200, { messaging_product: 'whatsapp', messages: [] }));
    const err = await wrongShape.client.sendText('1', 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphApiError);
    expect((err as Error).message).toMatch(/unexpected response shape/);
  });

  it('Meta error bodies become GraphApiError with code, status and trace id', async () => {
    const { client } = clientWith(() =>
      json(404, {
        error: {
          message: '(#132001) Template name does not exist in the translation',
          type: 'OAuthException',
          code: 132001,
          error_data: { details: 'template name (x) does not exist in en_US' },
          fbtrace_id: 'TRACE',
        },
      }),
    );
    const err = (await client.sendTemplate('1', { name: 'x', language: 'en_US' }).catch((e: unknown) => e)) as GraphApiError;
    expect(err).toMatchObject({
      httpStatus: 404,
      code: 132001,
      fbtraceId: 'TRACE',
      details: 'template name (x) does not exist in en_US',
      title: 'Template does not exist',
      retryable: false,
    });
  });
});
