/**
 * Replay of real-shaped template webhooks (test/fixtures/template-lifecycle): each is acknowledged
 * and changes the synced template as Meta means it — FLAGGED keeps it sendable until the disable
 * date (given as a string), the unpause (APPROVED with `other_info.title: UNPAUSE`) and REINSTATED
 * restore, DISABLED/PENDING_DELETION/REJECTED refuse with the reason, LOCKED/UNLOCKED toggle
 * editing, quality and category changes (impending with its date, completed) are recorded.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { postWebhook } from '../support/whatsapp.ts';

const FIXTURES = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../fixtures/template-lifecycle/template_events.json'), 'utf8')) as Record<
  string,
  any
>;

describe('template lifecycle webhooks, replayed', () => {
  let s: TestServer;
  const template = async (name: string) => (await s.admin(`/admin/api/templates?name=${name}`)).body.data.find((t: any) => t.language === 'en_US');
  /** Post a fixture for this server's WABA, then wait until the template shows the change. */
  const replay = async <T>(key: string, name: string, until: (t: any) => T) => {
    const body = structuredClone(FIXTURES[key]);
    body.entry[0].id = s.config.whatsapp.wabaId;
    const res = await postWebhook(s, body);
    expect(res.status, key).toBe(200);
    return waitFor(async () => {
      const t = await template(name);
      return until(t) ? t : null;
    });
  };

  beforeAll(async () => {
    s = await startTestServer();
    await waitFor(async () => (await template('connectdesk_followup'))?.status === 'APPROVED');
  });
  afterAll(() => s.stop());

  it('FLAGGED → sendable with a warning; PAUSED (second pause) refuses; the unpause restores', async () => {
    const flagged = await replay('flagged', 'connectdesk_followup', (t) => t.disable_date);
    expect(flagged).toMatchObject({ status: 'APPROVED', sendable: true, disable_date: '2030-01-01T00:00:00.000Z' });
    const paused = await replay('paused', 'connectdesk_followup', (t) => t.status === 'PAUSED');
    expect(paused).toMatchObject({ sendable: false, status_reason: 'SECOND_PAUSE', disable_date: null });
    expect(paused.warning).toMatch(/^paused by WhatsApp for low quality \(SECOND_PAUSE\)/);
    const back = await replay('unpaused', 'connectdesk_followup', (t) => t.status === 'APPROVED');
    expect(back).toMatchObject({ sendable: true, warning: null });
  });

  it('DISABLED, then REINSTATED', async () => {
    expect(await replay('disabled', 'setup_video', (t) => t.status === 'DISABLED')).toMatchObject({ sendable: false });
    expect(await replay('reinstated', 'setup_video', (t) => t.status === 'APPROVED')).toMatchObject({ sendable: true });
  });

  it('PENDING_DELETION (null reason) and REJECTED (with rejection_info) refuse with the reason', async () => {
    const deleted = await replay('pending_deletion', 'invoice_ready', (t) => t.status === 'PENDING_DELETION');
    expect(deleted).toMatchObject({ sendable: false, status_reason: null, warning: 'deleted in WhatsApp Manager: it can no longer be sent' });
    const rejected = await replay('rejected', 'spring_sale', (t) => t.status === 'REJECTED');
    expect(rejected.status_reason).toMatch(/^INVALID_FORMAT: Your template has parameters placed next to each other/);
    expect(rejected.warning).toMatch(/^rejected by WhatsApp \(INVALID_FORMAT/);
  });

  it('LOCKED and UNLOCKED', async () => {
    expect(await replay('locked', 'connectdesk_reopen', (t) => t.locked)).toMatchObject({ status: 'APPROVED', sendable: true });
    expect(await replay('unlocked', 'connectdesk_reopen', (t) => !t.locked)).toMatchObject({ warning: null });
  });

  it('quality and category updates', async () => {
    expect((await replay('quality', 'hello_world', (t) => t.quality === 'YELLOW')).quality).toBe('YELLOW');
    const impending = await replay('category_impending', 'connectdesk_welcome', (t) => t.category_change);
    expect(impending.category_change).toEqual({ from: 'UTILITY', to: 'MARKETING', at: '2030-01-01T00:00:00.000Z', done: false });
    const changed = await replay('category_changed', 'pickup_point', (t) => t.category === 'MARKETING');
    expect(changed.category_change).toMatchObject({ from: 'UTILITY', to: 'MARKETING', done: true });
  });
});
