/**
 * Fault injection: each kind makes the next N Graph calls fail as a real outage would, GraphClient
 * maps each to the right error, DELETE clears, and bad fault bodies are refused clearly.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxHarness, type SandboxHarness } from '../../server/src/sandbox/harness.ts';
import { GraphApiError, GraphTransportError, errorCodeOf, isRetryable } from '../../server/src/whatsapp/graph-error.ts';

describe('sandbox faults', () => {
  let h: SandboxHarness;
  const to = '15550007777';
  const inject = (body: unknown) =>
    fetch(`${h.url}/sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const hello = () => h.client({ timeoutMs: 300 }).sendTemplate(to, { name: 'hello_world', language: 'en_US' });

  beforeAll(async () => {
    h = await startSandboxHarness({ faultHoldMs: 10_000 });
  });
  afterEach(async () => {
    await fetch(`${h.url}/sandbox/faults`, { method: 'DELETE' });
  });
  afterAll(() => h.close());

  it('http_500 fails the next N calls with a retryable http_5xx, then calls succeed again', async () => {
    expect((await inject({ kind: 'http_500', count: 2 })).status).toBe(201);
    for (let i = 0; i < 2; i++) {
      const err = await hello().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GraphTransportError);
      expect(err).toMatchObject({ kind: 'http_5xx', httpStatus: 500 });
      expect(isRetryable(err)).toBe(true);
    }
    expect((await hello()).messages[0]!.id).toMatch(/^wamid\./);
  });

  it('timeout holds the request past the client timeout → a retryable timeout error', async () => {
    await inject({ kind: 'timeout', count: 1 });
    const err = await hello().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphTransportError);
    expect(errorCodeOf(err)).toBe('timeout');
    expect((await hello()).messages).toHaveLength(1);
  });

  it('a caller abort signal wins over the client timeout and is passed through as is', async () => {
    await inject({ kind: 'timeout', count: 1 });
    const controller = new AbortController();
    const pending = h
      .client({ timeoutMs: 5000 })
      .getPhoneNumber({ signal: controller.signal })
      .catch((e: unknown) => e);
    controller.abort(new Error('shutting down'));
    expect(((await pending) as Error).message).toBe('shutting down');
  });

  it('network destroys the connection → a retryable network error', async () => {
    await inject({ kind: 'network', count: 1 });
    const err = await hello().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphTransportError);
    expect(errorCodeOf(err)).toBe('network');
    expect((await hello()).messages).toHaveLength(1);
  });

  it('rate_limit answers Meta 130429', async () => {
    await inject({ kind: 'rate_limit', count: 1 });
    const err = await hello().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphApiError);
    expect(err).toMatchObject({ code: 130429, httpStatus: 400, retryable: true });
  });

  it('faults apply to any Graph call, in the order they were queued', async () => {
    await inject({ kind: 'rate_limit', count: 1 });
    await inject({ kind: 'http_500', count: 1 });
    expect(
      errorCodeOf(
        await h
          .client()
          .getPhoneNumber()
          .catch((e: unknown) => e),
      ),
    ).toBe('130429');
    expect(
      errorCodeOf(
        await h
          .client()
          .listTemplates()
          .catch((e: unknown) => e),
      ),
    ).toBe('http_5xx');
    expect((await h.client().getPhoneNumber()).id).toBe('100000000000001');
  });

  it('DELETE /sandbox/faults clears pending faults; GET lists them', async () => {
    await inject({ kind: 'http_500', count: 5 });
    expect(await (await fetch(`${h.url}/sandbox/faults`)).json()).toEqual({ faults: [{ kind: 'http_500', remaining: 5 }] });
    const cleared = await fetch(`${h.url}/sandbox/faults`, { method: 'DELETE' });
    expect(await cleared.json()).toEqual({ faults: [] });
    expect((await hello()).messages).toHaveLength(1);
  });

  it('refuses bad fault bodies with 400 and a clear message, and injects nothing', async () => {
    for (const [body, pattern] of [
      [{ kind: 'meteor' }, /kind must be one of/],
      [{ kind: 'timeout', count: 0 }, /count/],
      [{ kind: 'timeout', count: 'many' }, /count/],
      [{}, /kind/],
    ] as const) {
      const res = await inject(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const json = await res.json();
      expect(json.error.code).toBe('validation_failed');
      expect(json.error.message).toMatch(pattern);
    }
    const notJson = await fetch(`${h.url}/sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{kind:' });
    expect(notJson.status).toBe(400);
    const wrongType = await fetch(`${h.url}/sandbox/faults`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'timeout' });
    expect(wrongType.status).toBe(415);
    expect(await (await fetch(`${h.url}/sandbox/faults`)).json()).toEqual({ faults: [] });
  });
});

describe('sandbox stop', () => {
  let h: SandboxHarness | null = null;
  afterEach(async () => {
    await h?.close();
  });

  it('stop() releases a request held by a timeout fault', async () => {
    h = await startSandboxHarness({ faultHoldMs: 60_000 });
    await fetch(`${h.url}/sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'timeout' }) });
    const held = fetch(`${h.graphUrl}/v25.0/100000000000001`, { headers: { authorization: 'Bearer harness-token' } });
    await expect.poll(async () => ((await (await fetch(`${h!.url}/sandbox/faults`)).json()) as { faults: unknown[] }).faults.length).toBe(0);
    await h.sandbox.stop();
    const res = await held;
    expect(res.status).toBe(503);
    expect((await res.json()).error).toMatchObject({ code: 2, is_transient: true });
  });
});
