/**
 * Account calls of GraphClient against the sandbox: templates (following cursor paging), phone
 * number health, debug_token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxHarness, type SandboxHarness } from '../../server/src/sandbox/harness.ts';

describe('GraphClient → sandbox: account', () => {
  let h: SandboxHarness;
  beforeAll(async () => {
    h = await startSandboxHarness();
  });
  afterAll(() => h.close());

  it('listTemplates follows the cursors and returns the whole catalog once', async () => {
    const small = await h.client().listTemplates({ limit: 3 });
    const big = await h.client().listTemplates();
    expect(small).toEqual(big);
    expect(new Set(small.map((t) => t.id)).size).toBe(small.length);
    const keys = small.map((t) => `${t.name}/${t.language}/${t.status}`);
    expect(keys).toEqual(
      expect.arrayContaining([
        'hello_world/en_US/APPROVED',
        'connectdesk_welcome/en_US/APPROVED',
        'connectdesk_followup/en_US/APPROVED',
        'connectdesk_reopen/en_US/APPROVED',
        'connectdesk_new_message/en_US/APPROVED',
        'connectdesk_survey/en_US/PENDING',
      ]),
    );
    const forward = small.find((t) => t.name === 'connectdesk_new_message')!;
    expect(forward.category).toBe('UTILITY');
    expect(forward.components).toEqual([{ type: 'BODY', text: 'New message from {{1}} on {{2}}: {{3}} — reply to this message to answer.' }]);
  });

  it('pages carry cursors, and `next` only while there is more', async () => {
    const get = (q: string) =>
      fetch(`${h.graphUrl}/v25.0/200000000000001/message_templates?${q}`, { headers: { authorization: 'Bearer harness-token' } }).then((r) => r.json());
    const first = await get('limit=8');
    expect(first.data).toHaveLength(8);
    expect(first.paging.cursors).toEqual({ before: expect.any(String), after: expect.any(String) });
    expect(first.paging.next).toContain(`after=${first.paging.cursors.after}`);
    expect(first.paging.next).not.toContain('access_token');
    const second = await get(`limit=8&after=${first.paging.cursors.after}`);
    expect(second.data.length).toBeGreaterThan(0);
    expect(second.paging.next).toBeUndefined();
    expect(second.paging.previous).toEqual(expect.any(String));
    const ids = [...first.data, ...second.data].map((t: { id: string }) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    const filtered = await get('status=PENDING');
    expect(filtered.data.map((t: { name: string }) => t.name)).toEqual(['connectdesk_survey']);
    const badCursor = await get('after=!!!');
    expect(badCursor.error.code).toBe(100);
    const badLimit = await get('limit=-1');
    expect(badLimit.error.code).toBe(100);
  });

  it('getPhoneNumber returns the number health fields', async () => {
    const info = await h.client().getPhoneNumber();
    expect(info).toEqual({
      id: '100000000000001',
      display_phone_number: expect.stringMatching(/^\+\d+$/),
      verified_name: expect.any(String),
      quality_rating: 'GREEN',
      messaging_limit_tier: 'TIER_1K',
      code_verification_status: 'VERIFIED',
      name_status: 'APPROVED',
      platform_type: 'CLOUD_API',
      throughput: { level: 'STANDARD' },
      account_mode: 'LIVE',
    });
  });

  it('debugToken describes a valid system user token that never expires, with both scopes', async () => {
    const info = await h.client().debugToken();
    expect(info).toMatchObject({ is_valid: true, type: 'SYSTEM_USER', expires_at: 0 });
    expect(info.scopes).toEqual(expect.arrayContaining(['whatsapp_business_messaging', 'whatsapp_business_management']));
  });

  it('debug_token describes an invalid input token instead of failing; without input_token it is error 100', async () => {
    const headers = { authorization: 'Bearer harness-token' };
    const other = await fetch(`${h.graphUrl}/v25.0/debug_token?input_token=someone-elses`, { headers }).then((r) => r.json());
    expect(other.data).toMatchObject({ is_valid: false, scopes: [] });
    const missing = await fetch(`${h.graphUrl}/v25.0/debug_token`, { headers });
    expect(missing.status).toBe(400);
    expect((await missing.json()).error.code).toBe(100);
  });

  it('subscribed_apps lists the app while webhooks have a destination', async () => {
    const res = await fetch(`${h.graphUrl}/v25.0/200000000000001/subscribed_apps`, { headers: { authorization: 'Bearer harness-token' } }).then((r) =>
      r.json(),
    );
    expect(res.data).toHaveLength(1);
    expect(res.data[0].whatsapp_business_api_data).toMatchObject({ id: expect.any(String), name: expect.any(String) });
  });
});
