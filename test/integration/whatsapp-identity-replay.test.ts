/**
 * Replays real-shaped 2026 identity payloads (test/fixtures/whatsapp-2026/): a username user, a
 * group message, number and user-id changes, marketing stop/resume — signed, in order, and once
 * more (Meta redelivers) — and checks what each became.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { customerText, messagesOf, messagesWebhook, postWebhook } from '../support/whatsapp.ts';

const DIR = path.join(import.meta.dirname, '../fixtures/whatsapp-2026');
const fixture = (file: string, key: string) => (JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as Record<string, any>)[key];

const ORDER: [string, string][] = [
  ['username_message.json', 'text'],
  ['group_message.json', 'text'],
  ['system_changes.json', 'user_changed_number'],
  ['system_changes.json', 'user_changed_number_new_wa_id'],
  ['system_changes.json', 'user_changed_user_id'],
  ['user_preferences.json', 'stop'],
  ['user_preferences.json', 'resume'],
  ['system_changes_aug_2026.json', 'ines_text'],
  ['system_changes_aug_2026.json', 'ines_changed_number'],
  ['system_changes_aug_2026.json', 'kai_text'],
  ['system_changes_aug_2026.json', 'kai_changed_user_id'],
];

async function settled(s: TestServer): Promise<void> {
  await waitFor(async () => {
    const c = (await s.admin('/admin/api/whatsapp/webhook-events?limit=1')).body.counts;
    return !c.pending && !c.processing;
  });
}

async function conversations(s: TestServer): Promise<any[]> {
  return (await s.admin('/admin/api/conversations?channel=whatsapp&limit=100')).body.data;
}

describe('2026 identity payloads, replayed signed', () => {
  let s: TestServer;
  let before: { lena: any; omar: any };

  beforeAll(async () => {
    s = await startTestServer();
    await postWebhook(s, messagesWebhook(s, customerText('447700900911', 'hi from Lena', { name: 'Lena' })));
    await postWebhook(s, messagesWebhook(s, customerText('447700900921', 'hi from Omar', { name: 'Omar' })));
    await settled(s);
    const list = await conversations(s);
    before = { lena: list.find((c) => c.contact.wa_id === '447700900911'), omar: list.find((c) => c.contact.wa_id === '447700900921') };
    for (const round of [1, 2]) {
      for (const [file, key] of ORDER) {
        const body = fixture(file, key);
        body.entry[0].changes[0].value.metadata.phone_number_id = s.config.whatsapp.phoneNumberId;
        expect((await postWebhook(s, body)).status, `${file}:${key} round ${round}`).toBe(200);
        await settled(s); // each after the one before, as a customer's own deliveries are applied
      }
    }
  });
  afterAll(() => s.stop());

  it('applies every delivery without failures', async () => {
    const res = await s.admin('/admin/api/whatsapp/webhook-events?limit=1');
    expect(res.body.counts.failed ?? 0).toBe(0);
  });

  it('a username user becomes a contact keyed by user id, re-keyed by user_changed_user_id', async () => {
    const list = await conversations(s);
    const noor = list.find((c) => c.contact.user_id === 'US.99120087760012345678');
    expect(noor.contact).toMatchObject({ name: 'Noor', wa_id: null });
    expect(list.find((c) => c.contact.user_id === 'US.13491208655302741918')).toBeUndefined();
    const msgs = await messagesOf(s, noor.id);
    expect(msgs.map((m) => [m.type, m.text])).toEqual([
      ['text', 'Do you deliver on Sundays?'],
      ['system', 'Noor changed their WhatsApp user id from US.13491208655302741918 to US.99120087760012345678'],
    ]);
  });

  it('a group message is filed into the group, with its author, and opens no 1:1 conversation', async () => {
    const list = await conversations(s);
    const group = list.find((c) => c.group?.id === 'Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD');
    expect(group).toBeDefined();
    expect((await messagesOf(s, group.id)).map((m) => [m.author_name, m.text])).toEqual([['Rui', 'Order for the team: 6 coffees']]);
    expect(list.find((c) => c.contact.wa_id === '351912000111')).toBeUndefined();
  });

  it('number changes (system.wa_id and the older new_wa_id) re-key the contact in place, with a line', async () => {
    const list = await conversations(s);
    const lena = list.find((c) => c.contact.wa_id === '447700900912');
    const omar = list.find((c) => c.contact.wa_id === '447700900922');
    expect(lena.id).toBe(before.lena.id);
    expect(omar.id).toBe(before.omar.id);
    expect(list.find((c) => c.contact.wa_id === '447700900911')).toBeUndefined();
    expect((await messagesOf(s, lena.id)).map((m) => m.text)).toEqual(['hi from Lena', 'Lena changed their number from +447700900911 to +447700900912']);
    expect((await messagesOf(s, omar.id)).map((m) => m.text)).toEqual(['hi from Omar', 'Omar changed their number from +447700900921 to +447700900922']);
  });

  it('Aug 2026 shapes: a number change takes the new user id along; a user-id change is found by previous_user_id', async () => {
    const list = await conversations(s);
    const ines = list.filter((c) => c.contact.name === 'Ines');
    expect(ines).toHaveLength(1);
    expect(ines[0].contact).toMatchObject({ wa_id: '447700900932', user_id: 'GB.44770090093200000002' });
    expect((await messagesOf(s, ines[0].id)).map((m) => m.text)).toEqual([
      'Is my order ready?',
      'Ines changed their number from +447700900931 to +447700900932',
    ]);
    const kai = list.filter((c) => c.contact.name === 'Kai');
    expect(kai).toHaveLength(1);
    expect(kai[0].contact).toMatchObject({ wa_id: null, user_id: 'US.55000000000000000002' });
    expect((await messagesOf(s, kai[0].id)).map((m) => m.text)).toEqual([
      'Still open tonight?',
      'Kai changed their WhatsApp user id from US.55000000000000000001 to US.55000000000000000002',
    ]);
  });

  it('marketing stop is recorded with Meta’s time; resume leaves the contact subscribed', async () => {
    const list = await conversations(s);
    expect(list.find((c) => c.contact.wa_id === '447700900912').contact.marketing_opted_out_at).toBe(new Date(1775002000 * 1000).toISOString());
    expect(list.find((c) => c.contact.wa_id === '447700900922').contact.marketing_opted_out_at).toBeNull();
  });
});
