/**
 * Telling visitors apart: each web visitor gets a stable generated name and avatar colour (until
 * they give a real name, which wins), and the page, browser language and time zone the widget
 * reported at connect — validated and length-limited; a malformed handshake is refused and
 * stores nothing.
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { avatarColor, generatedVisitorName } from '@connectdesk/shared';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';

describe('visitor identity and details', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  const conversation = async (id: string) => (await s.admin(`/admin/api/conversations/${id}`)).body.conversation;

  it('stores the page, language and time zone from the handshake and names anonymous visitors', async () => {
    const auth = { page_url: 'https://shop.example/pricing?plan=pro', language: 'pt-BR', time_zone: 'America/Sao_Paulo' };
    const socket = await s.visitorSocket(auth);
    const ack = await socket.timeout(5000).emitWithAck('message:send', { text: 'Olá!', client_id: 'c-1' });
    expect(ack.ok).toBe(true);
    const c = await conversation(ack.message.conversation_id);
    expect(c.contact).toMatchObject({ name: null, page_url: auth.page_url, language: 'pt-BR', time_zone: 'America/Sao_Paulo' });
    expect(c.contact.generated_name).toBe(generatedVisitorName(c.contact.id));
    expect(c.contact.color).toBe(avatarColor(c.contact.id));
    expect(c.contact.generated_name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    // The list shows the same.
    const listed = (await s.admin('/admin/api/conversations')).body.data.find((x: { id: string }) => x.id === c.id);
    expect(listed.contact).toMatchObject({ generated_name: c.contact.generated_name, color: c.contact.color, language: 'pt-BR' });

    socket.disconnect();
  });

  it("a returning visitor's details follow them at connect, before they write again", async () => {
    const http = await s.fetch('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'first' }) });
    const { visitor_token: token, conversation_id: id } = await http.json();
    const first = await conversation(id);
    expect(first.contact).toMatchObject({ language: null, time_zone: null });
    const back = await s.visitorSocket({ visitor_token: token, page_url: 'https://shop.example/checkout', language: 'en-GB', time_zone: 'Europe/London' });
    await waitFor(async () => (await conversation(id)).contact.time_zone === 'Europe/London', { message: 'details stored at connect' });
    const d = await conversation(id);
    expect(d.contact).toMatchObject({
      page_url: 'https://shop.example/checkout',
      language: 'en-GB',
      generated_name: first.contact.generated_name,
      color: first.contact.color,
    });
    back.disconnect();
  });

  it("agents' notice of a message shows the contact as stored, not as the sending tab first saw it", async () => {
    // Two tabs of one visitor: the second gives a name; the first (which knew them nameless) writes next.
    const http = await s.fetch('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'first' }) });
    const { visitor_token: token } = await http.json();
    const first = await s.visitorSocket({ visitor_token: token });
    const second = await s.visitorSocket({ visitor_token: token });
    expect((await second.timeout(5000).emitWithAck('identify', { name: 'Grace Hopper' })).ok).toBe(true);
    const agent = await s.adminSocket(await s.signIn());
    const notice = new Promise<any>((resolve) => agent.on('message:new', (p: any) => p.message.client_id === 'tab-1' && resolve(p)));
    const ack = await first.timeout(5000).emitWithAck('message:send', { text: 'from the first tab', client_id: 'tab-1' });
    expect(ack.ok).toBe(true);
    const { message, conversation: shown } = await notice;
    expect(message.id).toBe(ack.message.id);
    expect(shown.contact.name).toBe('Grace Hopper');
    // The conversation as the notice shows it is the conversation as stored.
    expect(shown).toEqual(await conversation(shown.id));
    for (const socket of [first, second, agent]) socket.disconnect();
  });

  it('a real name wins over the generated one (which stays available)', async () => {
    const socket = await s.visitorSocket({ language: 'es' });
    const ack = await socket.timeout(5000).emitWithAck('message:send', { text: 'Hola', client_id: 'n-1', name: 'Lucía' });
    const c = await conversation(ack.message.conversation_id);
    expect(c.contact.name).toBe('Lucía');
    expect(c.contact.generated_name).toBe(generatedVisitorName(c.contact.id));
    socket.disconnect();
  });

  it('refuses a handshake with a malformed or oversized page, language or time zone, and stores nothing', async () => {
    const before = (await s.admin('/admin/api/conversations?limit=100')).body.data.length;
    const bad = [
      { page_url: 'javascript:alert(1)' },
      { page_url: `https://x.example/${'a'.repeat(2100)}` },
      { language: 'not a language' },
      { language: 'e'.repeat(40) },
      { time_zone: '../../etc/passwd' },
      { time_zone: `Europe/${'x'.repeat(70)}` },
      { time_zone: 42 },
    ];
    for (const auth of bad) {
      const socket = io(s.url + '/visitor', { transports: ['websocket'], auth, reconnection: false, forceNew: true });
      const err = await new Promise<Error & { data?: { code?: string } }>((resolve, reject) => {
        socket.once('connect', () => reject(new Error(`accepted ${JSON.stringify(auth).slice(0, 80)}`)));
        socket.once('connect_error', resolve);
      });
      socket.disconnect();
      expect(err.data?.code, JSON.stringify(auth).slice(0, 80)).toBe('validation_failed');
    }
    expect((await s.admin('/admin/api/conversations?limit=100')).body.data.length).toBe(before);
  });
});
