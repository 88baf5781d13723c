/**
 * The durable outbox against the sandbox's fault injection: every kind of temporary failure is
 * retried until the reply arrives exactly once; permanent errors fail with Meta's reason and
 * Retry sends again; queued messages survive a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextEvent, startTestServer, tempDir, waitFor, type TestServer } from '../support/server.ts';
import {
  clearFaults,
  conversationOf,
  customerText,
  injectFault,
  messagesOf,
  messagesWebhook,
  phoneInbox,
  phoneSend,
  postWebhook,
} from '../support/whatsapp.ts';

async function messageById(s: TestServer, conversationId: string, id: string): Promise<any> {
  return (await messagesOf(s, conversationId)).find((m) => m.id === id);
}

describe('outbox: temporary failures are retried until the message arrives exactly once', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ WHATSAPP_TIMEOUT_MS: '300' });
  });
  afterAll(() => s.stop());

  it.each([
    ['http_500', '447700901001'],
    ['timeout', '447700901002'],
    ['rate_limit', '447700901003'],
    ['network', '447700901004'],
  ] as const)('%s', async (kind, waId) => {
    await phoneSend(s, waId, { type: 'text', text: { body: 'hello?' } });
    const c = await conversationOf(s, waId);
    const cookie = await s.signIn();
    const agent = await s.adminSocket(cookie);
    const retrying = nextEvent(agent, 'message:status', (p: any) => p.status === 'queued' && p.error);
    await injectFault(s, kind, 2);

    const text = `answer despite ${kind}`;
    const reply = await s.admin(`/admin/api/conversations/${c.id}/messages`, { body: { message_type: 'text', text } });
    expect(reply.status).toBe(201);

    // While it retries, the message says so (still queued, with the reason).
    const shown = await retrying;
    expect(shown.id).toBe(reply.body.message.id);
    expect(shown.error).toMatchObject({ code: expect.any(String), retryable: true, detail: expect.stringMatching(/retrying at/) });

    const delivered = await waitFor(
      async () => {
        const m = await messageById(s, c.id, reply.body.message.id);
        return m.wamid && ['sent', 'delivered', 'read'].includes(m.status) ? m : null;
      },
      { timeout: 20_000 },
    );
    expect(delivered.error).toBeNull();
    const copies = (await phoneInbox(s, waId)).filter((m) => m.text === text);
    expect(copies).toHaveLength(1);
    expect(copies[0]!.wamid).toBe(delivered.wamid);
  });

  it('keeps replies to one customer in the order they were written, even through failures', async () => {
    const waId = '447700901005';
    await phoneSend(s, waId, { type: 'text', text: { body: 'hi' } });
    const c = await conversationOf(s, waId);
    await injectFault(s, 'http_500', 1);
    for (const text of ['first', 'second', 'third']) {
      expect((await s.admin(`/admin/api/conversations/${c.id}/messages`, { body: { message_type: 'text', text } })).status).toBe(201);
    }
    const texts = await waitFor(
      async () => {
        const inbox = (await phoneInbox(s, waId)).map((m) => m.text);
        return inbox.length === 3 ? inbox : null;
      },
      { timeout: 20_000 },
    );
    expect(texts).toEqual(['first', 'second', 'third']);
  });
});

describe('outbox: permanent errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('a refused send fails at once with Meta’s code, title and details, and a plain explanation', async () => {
    // The sandbox's own business number writing to itself: Meta refuses with 131021.
    const self = '15550000001';
    await postWebhook(s, messagesWebhook(s, customerText(self, 'echo')));
    const c = await conversationOf(s, self);
    const reply = await s.admin(`/admin/api/conversations/${c.id}/messages`, { body: { message_type: 'text', text: 'to myself' } });
    expect(reply.status).toBe(201);
    const failed = await waitFor(async () => {
      const m = await messageById(s, c.id, reply.body.message.id);
      return m.status === 'failed' ? m : null;
    });
    expect(failed.error).toMatchObject({
      code: '131021',
      title: expect.any(String),
      detail: expect.any(String),
      explanation: expect.stringMatching(/own number/),
      retryable: false,
    });
  });

  it('a send Meta accepts but fails later (131047) is failed with the reason, and Retry sends it again', async () => {
    const waId = '447700901010';
    // We hear from the customer through a webhook the sandbox never saw, so WhatsApp's own window
    // is closed: the send is accepted, then fails asynchronously like Meta does.
    await postWebhook(s, messagesWebhook(s, customerText(waId, 'are you there?')));
    const c = await conversationOf(s, waId);
    const reply = await s.admin(`/admin/api/conversations/${c.id}/messages`, { body: { message_type: 'text', text: 'We are!' } });
    const failed = await waitFor(async () => {
      const m = await messageById(s, c.id, reply.body.message.id);
      return m.status === 'failed' ? m : null;
    });
    expect(failed.error).toMatchObject({ code: '131047', explanation: expect.stringMatching(/24 hours/), fix: expect.stringMatching(/template/) });

    // Retry of something that did not fail is refused.
    const ok = await s.admin(`/admin/api/conversations/${c.id}/messages`, {
      body: { message_type: 'template', template: { name: 'hello_world', language: 'en_US', parameters: [] } },
    });
    const okSent = await waitFor(async () => {
      const m = await messageById(s, c.id, ok.body.message.id);
      return m.wamid ? m : null;
    });
    expect((await s.admin(`/admin/api/messages/${okSent.id}/retry`, { method: 'POST' })).body.error.code).toBe('conflict');

    // The customer really writes now: WhatsApp's window opens, Retry goes through.
    await phoneSend(s, waId, { type: 'text', text: { body: 'hello again' } });
    // The webhook is applied in the background; Retry is for the agent who sees the new message.
    await waitFor(async () => (await messagesOf(s, c.id)).some((m) => m.text === 'hello again'));
    const retried = await s.admin(`/admin/api/messages/${failed.id}/retry`, { method: 'POST' });
    expect(retried.status).toBe(200);
    expect(retried.body.message).toMatchObject({ status: 'queued', error: null });
    const sent = await waitFor(async () => {
      const m = await messageById(s, c.id, failed.id);
      return m.status === 'read' ? m : null;
    });
    expect(sent.error).toBeNull();
    expect((await phoneInbox(s, waId)).filter((m) => m.text === 'We are!')).toHaveLength(2); // the failed copy and the retried one
  });
});

describe('outbox: a restart sends what was queued, once', () => {
  it('a message failing when the server stops is delivered once by the next start', async () => {
    const dataDir = tempDir();
    const first = await startTestServer({}, { dataDir });
    const waId = '447700901020';
    await phoneSend(first, waId, { type: 'text', text: { body: 'hi' } });
    const c = await conversationOf(first, waId);
    await injectFault(first, 'http_500', 1000);
    const reply = await first.admin(`/admin/api/conversations/${c.id}/messages`, {
      body: { message_type: 'template', template: { name: 'connectdesk_reopen', language: 'en_US', parameters: ['Rita'] } },
    });
    expect(reply.status).toBe(201);
    await waitFor(async () => (await messageById(first, c.id, reply.body.message.id)).error?.code === 'http_5xx');
    await first.stop();

    const second = await startTestServer({}, { dataDir });
    try {
      const sent = await waitFor(
        async () => {
          const m = await messageById(second, c.id, reply.body.message.id);
          return m.wamid ? m : null;
        },
        { timeout: 30_000 },
      );
      expect(sent.error).toBeNull();
      const inbox = await phoneInbox(second, waId);
      expect(inbox.filter((m) => m.template?.name === 'connectdesk_reopen')).toHaveLength(1);
      expect(inbox[0]!.wamid).toBe(sent.wamid);
    } finally {
      await clearFaults(second);
      await second.stop();
    }
  });
});
