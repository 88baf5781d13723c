/**
 * Interactive lists and reply buttons in the sandbox, as Meta documents them: sends over the
 * limits are refused with Meta's codes, and a simulated phone answers a list it received by row id
 * — the webhook then carries Meta's `list_reply` `{ id, title, description }` with the context.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxHarness, type SandboxHarness } from '../../server/src/sandbox/harness.ts';

const LIST = {
  type: 'list',
  header: { type: 'text', text: 'Shipping' },
  body: { text: 'Which option do you prefer?' },
  footer: { text: 'Prices include tax' },
  action: {
    button: 'Options',
    sections: [
      { title: 'Fast', rows: [{ id: 'express', title: 'Express', description: 'Next day' }] },
      { title: 'Cheap', rows: [{ id: 'standard', title: 'Standard' }] },
    ],
  },
};

describe('sandbox: interactive lists and buttons', () => {
  let h: SandboxHarness;
  const customer = '4915112340000';
  const received = (wamid: string) =>
    h.receiver.received.map((w) => w.body?.entry?.[0]?.changes?.[0]?.value?.messages?.[0]).find((m: { id?: string } | undefined) => m?.id === wamid);

  beforeAll(async () => {
    h = await startSandboxHarness();
    expect((await h.phoneSends(customer, { type: 'text', text: { body: 'hi' } })).status).toBe(200);
  });
  afterAll(() => h.close());

  it.each([
    ['a button label over 20 characters', { action: { ...LIST.action, button: 'x'.repeat(21) } }, 131009],
    ['a row title over 24 characters', { action: { button: 'B', sections: [{ rows: [{ id: 'a', title: 'x'.repeat(25) }] }] } }, 131009],
    ['a row description over 72 characters', { action: { button: 'B', sections: [{ rows: [{ id: 'a', title: 'A', description: 'x'.repeat(73) }] }] } }, 131009],
    [
      'the same row id twice',
      {
        action: {
          button: 'B',
          sections: [
            {
              rows: [
                { id: 'a', title: 'A' },
                { id: 'a', title: 'B' },
              ],
            },
          ],
        },
      },
      131009,
    ],
    ['more than 10 rows', { action: { button: 'B', sections: [{ rows: Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, title: `R${i}` })) }] } }, 131009],
    [
      'two sections, one untitled',
      { action: { button: 'B', sections: [{ title: 'A', rows: [{ id: 'a', title: 'A' }] }, { rows: [{ id: 'b', title: 'B' }] }] } },
      131008,
    ],
    ['a header that is not text', { header: { type: 'image' } }, 131009],
    ['a footer over 60 characters', { footer: { text: 'x'.repeat(61) } }, 131009],
    ['no button', { action: { sections: LIST.action.sections } }, 131008],
  ])('refuses a list with %s', async (_name, patch, code) => {
    const err = await h
      .client()
      .sendInteractive(customer, { ...LIST, ...patch })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code, httpStatus: 400 });
  });

  it('refuses reply buttons that repeat an id or have a title over 20 characters', async () => {
    const twice = await h
      .client()
      .sendInteractive(customer, {
        type: 'button',
        body: { text: 'Ok?' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'y', title: 'Yes' } },
            { type: 'reply', reply: { id: 'y', title: 'No' } },
          ],
        },
      })
      .catch((e: unknown) => e);
    expect(twice).toMatchObject({ code: 131009 });
    const long = await h
      .client()
      .sendInteractive(customer, { type: 'button', body: { text: 'Ok?' }, action: { buttons: [{ type: 'reply', reply: { id: 'y', title: 'x'.repeat(21) } }] } })
      .catch((e: unknown) => e);
    expect(long).toMatchObject({ code: 131009 });
  });

  it('a phone answers a list by row id: the webhook carries the row’s title and description, with the context', async () => {
    const sent = await h.client().sendInteractive(customer, LIST);
    const wamid = sent.messages[0]!.id;
    const res = await h.phoneSends(customer, {
      type: 'interactive',
      interactive: { type: 'list_reply', list_reply: { id: 'express' } },
      context: { id: wamid },
    });
    expect(res.status).toBe(200);
    const message = await h.receiver.until(() => received(res.body.wamid));
    expect(message).toMatchObject({
      type: 'interactive',
      interactive: { type: 'list_reply', list_reply: { id: 'express', title: 'Express', description: 'Next day' } },
      context: { id: wamid, from: expect.any(String) },
    });
  });

  it('refuses a tap on a row the list did not offer, a wrong title, or a list reply to buttons', async () => {
    const list = (await h.client().sendInteractive(customer, LIST)).messages[0]!.id;
    const buttons = (
      await h
        .client()
        .sendInteractive(customer, { type: 'button', body: { text: 'Ok?' }, action: { buttons: [{ type: 'reply', reply: { id: 'y', title: 'Yes' } }] } })
    ).messages[0]!.id;
    const messagesSent = () => h.receiver.received.filter((w) => w.body?.entry?.[0]?.changes?.[0]?.value?.messages).length;
    const before = messagesSent();
    const tap = (interactive: object, context: string) => h.phoneSends(customer, { type: 'interactive', interactive, context: { id: context } });
    const unknown = await tap({ type: 'list_reply', list_reply: { id: 'overnight' } }, list);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/not one of the choices/);
    expect((await tap({ type: 'list_reply', list_reply: { id: 'express', title: 'Slow' } }, list)).status).toBe(400);
    expect((await tap({ type: 'list_reply', list_reply: { id: 'y' } }, buttons)).status).toBe(400);
    const ok = await tap({ type: 'button_reply', button_reply: { id: 'y' } }, buttons);
    expect(ok.status).toBe(200);
    expect(await h.receiver.until(() => received(ok.body.wamid))).toMatchObject({
      interactive: { type: 'button_reply', button_reply: { id: 'y', title: 'Yes' } },
    });
    expect(messagesSent()).toBe(before + 1); // the refused taps sent nothing
  });
});
