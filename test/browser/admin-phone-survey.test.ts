/**
 * Simulated phones show an interactive list's rows as choices to tap: a sandbox customer answers
 * the satisfaction survey from the admin app, and the answer is recorded.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../server/src/db/knex.ts';
import { waitFor, type TestServer } from '../support/server.ts';
import { conversationOf, phoneSend } from '../support/whatsapp.ts';
import { DESKTOP, openAdmin, signIn } from './support/admin-app.ts';
import { startAdminSuite, stopSuite } from './support/suite.ts';

describe('admin: a simulated phone taps a list', () => {
  let s: TestServer;
  let browser: Browser;
  beforeAll(async () => ({ server: s, browser } = await startAdminSuite()));
  afterAll(() => stopSuite({ server: s, browser }));

  it('answers the WhatsApp survey from the Simulated phones page', async () => {
    const waId = '351919000111';
    await phoneSend(s, waId, { type: 'text', text: { body: 'Do you deliver on Saturdays?' }, profile_name: 'Inês' });
    const conversation = await conversationOf(s, waId);
    await s.admin(`/admin/api/conversations/${conversation.id}/messages`, { body: { message_type: 'text', text: 'We do, until noon.' } });
    await s.admin(`/admin/api/conversations/${conversation.id}`, { method: 'PATCH', body: { status: 'resolved' } });

    const { page, errors, context } = await openAdmin(browser, s, DESKTOP, '/admin/phones');
    await signIn(page);
    await page.getByLabel('Customer’s number').fill(waId);
    const choices = page.getByRole('group', { name: 'Choices' });
    await choices.waitFor();
    expect(await choices.getByRole('button').allInnerTexts()).toEqual(['★★★★★ 5', '★★★★ 4', '★★★ 3', '★★ 2', '★ 1']);
    await choices.getByRole('button', { name: '★★★★ 4' }).click();
    const db = createDb(s.config.database);
    try {
      expect(await waitFor(() => db('satisfaction_surveys').where({ conversation_id: conversation.id }).whereNotNull('rating').first())).toMatchObject({
        rating: 4,
      });
    } finally {
      await db.destroy();
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});
