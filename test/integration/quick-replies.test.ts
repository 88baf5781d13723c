/**
 * Quick replies on both channels: an agent offers reply buttons or a list
 * (`message_type: "interactive"`); a WhatsApp customer taps one on the sandbox's phone, a web
 * visitor over the widget's socket (`message:send` with `choice`); either answer comes back as a
 * message carrying `interactive_reply: { id, title }` and the context of the message it answers.
 * Everything over Meta's limits, and every choice that is not one, is refused and stores nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextEvent, startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { conversationOf, messagesOf, messagesWebhook, phoneInbox, phoneSend, postWebhook, wamid } from '../support/whatsapp.ts';

interface Msg {
  id: string;
  type: string;
  text: string;
  direction: string;
  sender: string;
  wamid: string | null;
  status: string;
  content: unknown;
  context: { message_id: string | null; wamid: string | null } | null;
  interactive_reply?: { id: string; title: string } | null;
}

const BUTTONS = {
  kind: 'buttons',
  body: 'Did that solve it?',
  buttons: [
    { id: 'yes', title: 'Yes, thanks' },
    { id: 'no', title: 'No' },
  ],
};
const LIST = {
  kind: 'list',
  body: 'Which delivery do you prefer?',
  button: 'Options',
  sections: [
    { title: 'Fast', rows: [{ id: 'express', title: 'Express', description: 'Next day' }] },
    { title: 'Cheap', rows: [{ id: 'standard', title: 'Standard' }] },
  ],
};

const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` }));
const x = (n: number) => 'x'.repeat(n);

/** Each over a documented limit (or malformed), with a word the error names. */
const INVALID: [string, object, string][] = [
  ['no buttons', { ...BUTTONS, buttons: [] }, 'button'],
  ['four buttons', { ...BUTTONS, buttons: [1, 2, 3, 4].map((i) => ({ id: `b${i}`, title: `B${i}` })) }, 'at most 3 buttons'],
  ['a button title over 20 characters', { ...BUTTONS, buttons: [{ id: 'a', title: x(21) }] }, 'button title must be at most 20'],
  ['an empty button title', { ...BUTTONS, buttons: [{ id: 'a', title: '  ' }] }, 'button title must not be empty'],
  ['a button id over 256 characters', { ...BUTTONS, buttons: [{ id: x(257), title: 'A' }] }, 'button id must be at most 256'],
  [
    'the same button id twice',
    {
      ...BUTTONS,
      buttons: [
        { id: 'a', title: 'A' },
        { id: 'a', title: 'B' },
      ],
    },
    'ids must be unique',
  ],
  [
    'the same button title twice',
    {
      ...BUTTONS,
      buttons: [
        { id: 'a', title: 'A' },
        { id: 'b', title: 'A' },
      ],
    },
    'titles must be unique',
  ],
  ['a buttons body over 1024 characters', { ...BUTTONS, body: x(1025) }, 'body must be at most 1024'],
  ['an empty body', { ...BUTTONS, body: '' }, 'body must not be empty'],
  ['a list body over 4096 characters', { ...LIST, body: x(4097) }, 'body must be at most 4096'],
  ['a list button label over 20 characters', { ...LIST, button: x(21) }, 'button must be at most 20'],
  ['a list without sections', { ...LIST, sections: [] }, 'section'],
  [
    'eleven sections',
    { ...LIST, sections: Array.from({ length: 11 }, (_, i) => ({ title: `S${i}`, rows: [{ id: `r${i}`, title: 'R' }] })) },
    'at most 10 sections',
  ],
  [
    'eleven rows in all',
    { ...LIST, sections: [{ rows: rows(6) }, { title: 'More', rows: rows(11).slice(6) }].map((s, i) => ({ title: `S${i}`, ...s })) },
    'at most 10 rows',
  ],
  ['a row title over 24 characters', { ...LIST, sections: [{ rows: [{ id: 'a', title: x(25) }] }] }, 'row title must be at most 24'],
  ['a row id over 200 characters', { ...LIST, sections: [{ rows: [{ id: x(201), title: 'A' }] }] }, 'row id must be at most 200'],
  ['a row description over 72 characters', { ...LIST, sections: [{ rows: [{ id: 'a', title: 'A', description: x(73) }] }] }, 'description must be at most 72'],
  [
    'the same row id twice',
    {
      ...LIST,
      sections: [
        { title: 'A', rows: [{ id: 'a', title: 'A' }] },
        { title: 'B', rows: [{ id: 'a', title: 'B' }] },
      ],
    },
    'ids must be unique',
  ],
  [
    'two sections, one untitled',
    {
      ...LIST,
      sections: [{ title: 'A', rows: [{ id: 'a', title: 'A' }] }, { rows: [{ id: 'b', title: 'B' }] }],
    },
    'needs a title',
  ],
  ['a section title over 24 characters', { ...LIST, sections: [{ title: x(25), rows: [{ id: 'a', title: 'A' }] }] }, 'section title must be at most 24'],
  ['an unknown kind', { kind: 'carousel', body: 'Hi' }, 'kind'],
];

describe('quick replies', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  const send = (conversationId: string, interactive: object) =>
    s.admin(`/admin/api/conversations/${conversationId}/messages`, { body: { message_type: 'interactive', interactive } });

  async function webVisitor(text: string) {
    const res = await s.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, name: 'Vera' }),
    });
    expect(res.status).toBe(201);
    const { conversation_id, visitor_token } = (await res.json()) as { conversation_id: string; visitor_token: string };
    return { id: conversation_id, token: visitor_token, socket: await s.visitorSocket({ visitor_token }) };
  }

  describe('on WhatsApp', () => {
    it('sends reply buttons as an interactive message; the tap comes back with interactive_reply and its context', async () => {
      const waId = '351910000201';
      await phoneSend(s, waId, { type: 'text', text: { body: 'My order is late' }, profile_name: 'Rui' });
      const c = await conversationOf(s, waId);
      const sent = await send(c.id, BUTTONS);
      expect(sent.status).toBe(201);
      const offer = sent.body.message as Msg;
      expect(offer).toMatchObject({ type: 'interactive', text: 'Did that solve it?', interactive_reply: null });

      const entry = await waitFor(async () => (await phoneInbox(s, waId)).find((e) => e.type === 'interactive'));
      const onPhone = (entry as unknown as { message: { interactive: { type: string; action: { buttons: { reply: { id: string; title: string } }[] } } } })
        .message.interactive;
      expect(onPhone.type).toBe('button');
      expect(onPhone.action.buttons.map((b) => b.reply)).toEqual(BUTTONS.buttons);
      const stored = await waitFor(async () => ((await messagesOf(s, c.id)) as Msg[]).find((m) => m.id === offer.id && m.wamid));
      expect(stored.wamid).toBe(entry.wamid);

      const cookie = await s.signIn();
      const agents = await s.adminSocket(cookie);
      const live = nextEvent<{ message: Msg }>(agents, 'message:new', (p) => p.message.direction === 'inbound' && p.message.type === 'interactive');
      await phoneSend(s, waId, { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'no' } }, context: { id: entry.wamid } });
      const reply = (await live).message;
      expect(reply).toMatchObject({ text: 'No', interactive_reply: { id: 'no', title: 'No' }, context: { message_id: offer.id, wamid: entry.wamid } });
      // …and after a reload.
      expect(((await messagesOf(s, c.id)) as Msg[]).find((m) => m.id === reply.id)?.interactive_reply).toEqual({ id: 'no', title: 'No' });
    });

    it('sends a list; the row tapped comes back as interactive_reply', async () => {
      const waId = '351910000202';
      await phoneSend(s, waId, { type: 'text', text: { body: 'When can you deliver?' } });
      const c = await conversationOf(s, waId);
      const sent = await send(c.id, LIST);
      expect(sent.status).toBe(201);
      const entry = await waitFor(async () => (await phoneInbox(s, waId)).find((e) => e.type === 'interactive'));
      const onPhone = (entry as unknown as { message: { interactive: Record<string, unknown> } }).message.interactive;
      expect(onPhone).toMatchObject({ type: 'list', body: { text: LIST.body }, action: { button: 'Options', sections: LIST.sections } });

      await phoneSend(s, waId, { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'express' } }, context: { id: entry.wamid } });
      const reply = await waitFor(async () => ((await messagesOf(s, c.id)) as Msg[]).find((m) => m.direction === 'inbound' && m.type === 'interactive'));
      expect(reply.interactive_reply).toEqual({ id: 'express', title: 'Express' });
      // The tap can be applied before the send's answer (its wamid) is recorded; it is linked then.
      const linked = await waitFor(async () => ((await messagesOf(s, c.id)) as Msg[]).find((m) => m.id === reply.id && m.context?.message_id));
      expect(linked.context?.message_id).toBe(sent.body.message.id);
    });

    it("reads a template's quick-reply button (the older `button` type, tapped on the sandbox's phone) as interactive_reply", async () => {
      const waId = '351910000203';
      await phoneSend(s, waId, { type: 'button', button: { payload: 'STOP_PROMOS', text: 'Stop promotions' }, profile_name: 'Ana' });
      const c = await conversationOf(s, waId);
      const m = await waitFor(async () => ((await messagesOf(s, c.id)) as Msg[]).find((x) => x.type === 'button'));
      expect(m).toMatchObject({ text: 'Stop promotions', interactive_reply: { id: 'STOP_PROMOS', title: 'Stop promotions' } });
    });

    it('refuses quick replies outside the 24-hour window with window_closed, storing nothing', async () => {
      const waId = '351910000204';
      const old = Date.now() - 25 * 3600_000;
      await postWebhook(
        s,
        messagesWebhook(s, {
          contacts: [{ profile: { name: 'Old' }, wa_id: waId }],
          messages: [{ from: waId, id: wamid('old'), timestamp: String(Math.floor(old / 1000)), type: 'text', text: { body: 'hello, long ago' } }],
        }),
      );
      const c = await conversationOf(s, waId);
      const before = (await messagesOf(s, c.id)).length;
      const res = await send(c.id, BUTTONS);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('window_closed');
      expect((await messagesOf(s, c.id)).length).toBe(before);
    });

    it.each(INVALID)('refuses %s with a clear 400 and stores nothing', async (what, interactive, words) => {
      const waId = '351910000209';
      const hello = `hi (${what})`;
      await phoneSend(s, waId, { type: 'text', text: { body: hello } });
      const c = await conversationOf(s, waId);
      // Counted once this case's own message is in (the conversation exists from the cases before).
      const before = await waitFor(async () => {
        const all = (await messagesOf(s, c.id)) as Msg[];
        return all.some((m) => m.text === hello) ? all.length : null;
      });
      const res = await send(c.id, interactive);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(JSON.stringify(res.body.error)).toContain(words);
      expect((await messagesOf(s, c.id)).length).toBe(before);
      expect((await phoneInbox(s, waId)).some((e) => e.type === 'interactive')).toBe(false);
    });
  });

  describe('on the web', () => {
    it('offers buttons to the visitor, who taps one: stored with the title, interactive_reply and context, live and in history', async () => {
      const v = await webVisitor('Is my order on its way?');
      const pushed = nextEvent<{ message: Msg }>(v.socket, 'message:new', (p) => p.message.type === 'interactive');
      const sent = await send(v.id, BUTTONS);
      expect(sent.status).toBe(201);
      const offer = (await pushed).message;
      expect(offer.id).toBe(sent.body.message.id);
      expect((offer.content as { interactive: { type: string } }).interactive.type).toBe('button');

      const agents = await s.adminSocket(await s.signIn());
      const seen = nextEvent<{ message: Msg }>(agents, 'message:new', (p) => p.message.sender === 'visitor' && p.message.type === 'interactive');
      const ack = (await v.socket.emitWithAck('message:send', { client_id: 'choice-1', choice: { message_id: offer.id, id: 'yes' } })) as {
        ok: boolean;
        message: Msg;
      };
      expect(ack.ok).toBe(true);
      expect(ack.message).toMatchObject({ text: 'Yes, thanks', interactive_reply: { id: 'yes', title: 'Yes, thanks' }, context: { message_id: offer.id } });
      expect((await seen).message.interactive_reply).toEqual({ id: 'yes', title: 'Yes, thanks' });

      const history = (await (await s.fetch(`/api/messages?visitor_token=${v.token}`)).json()) as { data: Msg[] };
      expect(history.data.find((m) => m.id === ack.message.id)?.interactive_reply).toEqual({ id: 'yes', title: 'Yes, thanks' });
      const thread = (await s.admin(`/admin/api/conversations/${v.id}/messages`)).body.data as Msg[];
      expect(thread.find((m) => m.id === ack.message.id)).toMatchObject({ text: 'Yes, thanks', context: { message_id: offer.id } });

      // The same client_id again is the same message (a widget retrying after a lost ack).
      const again = (await v.socket.emitWithAck('message:send', { client_id: 'choice-1', choice: { message_id: offer.id, id: 'yes' } })) as { message: Msg };
      expect(again.message.id).toBe(ack.message.id);
    });

    it('offers a list; the row the visitor picks comes back with its title', async () => {
      const v = await webVisitor('Delivery options?');
      const sent = await send(v.id, LIST);
      expect(sent.status).toBe(201);
      const ack = (await v.socket.emitWithAck('message:send', { client_id: 'choice-2', choice: { message_id: sent.body.message.id, id: 'standard' } })) as {
        ok: boolean;
        message: Msg;
      };
      expect(ack.ok).toBe(true);
      expect(ack.message).toMatchObject({ text: 'Standard', interactive_reply: { id: 'standard', title: 'Standard' } });
    });

    it.each(INVALID.slice(0, 6))('refuses %s for a web conversation too', async (_what, interactive) => {
      const v = await webVisitor('hello');
      const res = await send(v.id, interactive);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(((await s.admin(`/admin/api/conversations/${v.id}/messages`)).body.data as Msg[]).length).toBe(1);
    });

    it('refuses a choice that is not one: unknown message, another visitor’s, not interactive, an option not offered, text and choice together', async () => {
      const v = await webVisitor('first');
      const other = await webVisitor('someone else');
      const mine = (await send(v.id, BUTTONS)).body.message as Msg;
      const theirs = (await send(other.id, BUTTONS)).body.message as Msg;
      const text = (await s.admin(`/admin/api/conversations/${v.id}/messages`, { body: { message_type: 'text', text: 'plain words' } })).body.message as Msg;
      const note = (await s.admin(`/admin/api/conversations/${v.id}/messages`, { body: { message_type: 'note', text: 'internal' } })).body.message as Msg;
      const count = async () => ((await s.admin(`/admin/api/conversations/${v.id}/messages`)).body.data as Msg[]).length;
      const before = await count();
      const cases: [object, string][] = [
        [{ message_id: '01HZZZZZZZZZZZZZZZZZZZZZZZ', id: 'yes' }, 'message with quick replies in your conversation'],
        [{ message_id: theirs.id, id: 'yes' }, 'message with quick replies in your conversation'],
        [{ message_id: text.id, id: 'yes' }, 'message with quick replies in your conversation'],
        [{ message_id: note.id, id: 'yes' }, 'message with quick replies in your conversation'],
        [{ message_id: mine.id, id: 'maybe' }, 'is not one of the options'],
      ];
      for (const [i, [choice, words]] of cases.entries()) {
        const ack = (await v.socket.emitWithAck('message:send', { client_id: `bad-${i}`, choice })) as {
          ok: boolean;
          error: { code: string; message: string };
        };
        expect(ack.ok).toBe(false);
        expect(ack.error.code).toBe('validation_failed');
        expect(ack.error.message).toContain(words);
      }
      for (const payload of [
        { client_id: 'bad-both', text: 'Yes', choice: { message_id: mine.id, id: 'yes' } },
        { client_id: 'bad-none' },
        { client_id: 'bad-shape', choice: { message_id: mine.id } },
      ]) {
        const ack = (await v.socket.emitWithAck('message:send', payload)) as { ok: boolean; error: { code: string } };
        expect(ack.ok).toBe(false);
        expect(ack.error.code).toBe('validation_failed');
      }
      expect(await count()).toBe(before);
    });
  });
  describe('canned responses with buttons', () => {
    it('keeps valid quick-reply buttons, refuses invalid ones with a clear 400, and PUT without buttons removes them', async () => {
      const list = async () => (await s.admin('/admin/api/canned-responses')).body.data as { id: string; shortcut: string; buttons?: object[] }[];
      const created = await s.admin('/admin/api/canned-responses', { body: { shortcut: 'solved-qr', text: 'Did that help?', buttons: BUTTONS.buttons } });
      expect(created.status).toBe(201);
      expect(created.body.canned_response.buttons).toEqual(BUTTONS.buttons);
      const before = await list();
      for (const [body, words] of [
        [{ shortcut: 'bad-1', text: 'Hi', buttons: [1, 2, 3, 4].map((i) => ({ id: `b${i}`, title: `B${i}` })) }, 'at most 3 buttons'],
        [{ shortcut: 'bad-2', text: 'Hi', buttons: [{ id: 'a', title: x(21) }] }, 'button title must be at most 20'],
        [
          {
            shortcut: 'bad-3',
            text: 'Hi',
            buttons: [
              { id: 'a', title: 'A' },
              { id: 'a', title: 'B' },
            ],
          },
          'ids must be unique',
        ],
        [{ shortcut: 'bad-4', text: x(1025), buttons: [{ id: 'a', title: 'A' }] }, 'at most 1024'],
        [{ shortcut: 'bad-5', text: 'Hi', buttons: [] }, 'at least one button'],
      ] as const) {
        const res = await s.admin('/admin/api/canned-responses', { body });
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('validation_failed');
        expect(JSON.stringify(res.body.error)).toContain(words);
      }
      const bad = await s.admin(`/admin/api/canned-responses/${created.body.canned_response.id}`, {
        method: 'PUT',
        body: { shortcut: 'solved-qr', text: 'Did that help?', buttons: [{ id: 'a', title: x(21) }] },
      });
      expect(bad.status).toBe(400);
      expect(await list()).toEqual(before);

      const plain = await s.admin(`/admin/api/canned-responses/${created.body.canned_response.id}`, {
        method: 'PUT',
        body: { shortcut: 'solved-qr', text: 'Did that help?' },
      });
      expect(plain.status).toBe(200);
      expect(plain.body.canned_response.buttons).toBeUndefined();
      expect((await list()).find((c) => c.shortcut === 'solved-qr')?.buttons).toBeUndefined();
    });
  });
});
