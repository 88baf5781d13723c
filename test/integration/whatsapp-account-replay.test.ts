/**
 * Replay of real-shaped account webhooks (test/fixtures/account-events): a scheduled ban, a
 * policy violation, a restriction, a messaging-limit downgrade, a throughput upgrade, a rejected
 * display name and an account alert are each acknowledged, stored once with a severity and a
 * plain summary, and change the number as Meta means it (throughput is not the messaging tier).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { postWebhook } from '../support/whatsapp.ts';

const FIXTURES = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../fixtures/account-events/account_events.json'), 'utf8')) as Record<string, any>;

describe('account webhooks, replayed', () => {
  let s: TestServer;
  let display: string;

  beforeAll(async () => {
    s = await startTestServer();
    display = (await s.admin('/admin/api/whatsapp/account')).body.numbers[0].display_phone_number.replace(/\D/g, '');
  });
  afterAll(() => s.stop());

  /** Post a fixture for this server's WABA and number; answer the stored event. */
  const replay = async (key: string) => {
    const body = structuredClone(FIXTURES[key]);
    body.entry[0].id = s.config.whatsapp.wabaId;
    const value = body.entry[0].changes[0].value;
    for (const k of ['phone_number', 'display_phone_number']) if (k in value) value[k] = display;
    if ('entity_id' in value) value.entity_id = s.config.whatsapp.wabaId;
    const res = await postWebhook(s, body);
    expect(res.status, key).toBe(200);
    const field = body.entry[0].changes[0].field;
    const event = value.event ?? value.decision ?? null;
    return waitFor(
      async () =>
        (await s.admin('/admin/api/whatsapp/account')).body.events.find(
          (e: any) => e.field === field && (field === 'account_alerts' || e.event === event) && Date.parse(e.occurred_at) === body.entry[0].time * 1000,
        ) ?? null,
      { message: key },
    );
  };

  it('account_update: a scheduled ban, a violation and a restriction', async () => {
    expect(await replay('account_update_ban_scheduled')).toMatchObject({ severity: 'critical', summary: expect.stringMatching(/scheduled to be disabled/) });
    expect(await replay('account_update_violation')).toMatchObject({ severity: 'warning', summary: expect.stringMatching(/policy violation \(alcohol\)/) });
    expect(await replay('account_update_restriction')).toMatchObject({
      severity: 'critical',
      summary: expect.stringMatching(/restricted biz initiated messaging/),
    });
  });

  it('phone_number_quality_update: a downgrade lowers the tier; THROUGHPUT_UPGRADE raises throughput, not the tier', async () => {
    const down = await replay('quality_downgrade');
    expect(down.severity).toBe('warning');
    let number = (await s.admin('/admin/api/whatsapp/account')).body.numbers[0];
    expect(number.messaging_tier).toBe('TIER_250');
    const up = await replay('quality_throughput_upgrade');
    expect(up).toMatchObject({ severity: 'info', summary: expect.stringMatching(/higher throughput/) });
    number = (await s.admin('/admin/api/whatsapp/account')).body.numbers[0];
    expect(number.throughput_level).toBe('HIGH');
    expect(number.messaging_tier).toBe('TIER_250');
  });

  it('phone_number_name_update: a rejection with its reason; account_alerts with its severity', async () => {
    expect(await replay('name_update_rejected')).toMatchObject({
      severity: 'warning',
      summary: expect.stringMatching(/“Lucky Shrub Plants”.*rejected \(name format unacceptable\)/),
    });
    expect(await replay('account_alert')).toMatchObject({ severity: 'warning', summary: expect.stringMatching(/eligible for higher messaging limits/) });
  });

  it('a replayed delivery is stored once', async () => {
    const before = (await s.admin('/admin/api/whatsapp/account')).body.events.length;
    const body = structuredClone(FIXTURES.account_update_violation);
    body.entry[0].id = s.config.whatsapp.wabaId;
    body.entry[0].changes[0].value.phone_number = display;
    expect((await postWebhook(s, body)).status).toBe(200);
    // A later, different event proves the duplicate was processed before it.
    FIXTURES.account_alert.entry[0].time += 100;
    await replay('account_alert');
    const events = (await s.admin('/admin/api/whatsapp/account')).body.events;
    expect(events.filter((e: any) => e.event === 'ACCOUNT_VIOLATION')).toHaveLength(1);
    expect(events.length).toBe(before + 1);
  });
});
