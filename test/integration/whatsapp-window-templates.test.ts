/**
 * The 24-hour window and templates: free-form replies outside the window are refused before
 * anything is stored or sent; templates are synced from the Cloud API, listed, previewed, kept
 * current by webhooks and validated before a send.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { conversationOf, customerText, messagesOf, messagesWebhook, phoneInbox, phoneSend, postWebhook } from '../support/whatsapp.ts';

describe('templates: sync, list, preview, webhook updates', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('are synced from the Cloud API at start and listed with category, status, language, body and parameter count', async () => {
    const res = await s.admin('/admin/api/templates');
    expect(res.status).toBe(200);
    const byKey = new Map(res.body.data.map((t: any) => [`${t.name}/${t.language}`, t]));
    expect(byKey.get('connectdesk_new_message/en_US')).toMatchObject({
      category: 'UTILITY',
      status: 'APPROVED',
      body: 'New message from {{1}} on {{2}}: {{3}} — reply to this message to answer.',
      parameter_count: 3,
    });
    expect(byKey.get('hello_world/en_US')).toMatchObject({ header: 'Hello World', footer: 'WhatsApp Business Platform sample message', parameter_count: 0 });
    expect(byKey.get('connectdesk_reopen/en_US')).toMatchObject({
      buttons: [
        { type: 'QUICK_REPLY', text: 'Yes, I need help' },
        { type: 'QUICK_REPLY', text: 'Issue resolved' },
      ],
    });
    expect(byKey.get('connectdesk_welcome/es')).toMatchObject({ parameter_count: 1 });
    expect(byKey.get('connectdesk_survey/en_US')).toMatchObject({ status: 'PENDING', category: 'MARKETING' });
    expect(byKey.get('connectdesk_digest/en_US')).toMatchObject({ category: 'UTILITY', status: 'APPROVED', parameter_count: 3 });
    const approved = await s.admin('/admin/api/templates?status=approved');
    expect(approved.body.data.every((t: any) => t.status === 'APPROVED')).toBe(true);
    expect(approved.body.data.length).toBeLessThan(res.body.data.length);
  });

  it('sync on demand answers with what it synced', async () => {
    const res = await s.admin('/admin/api/templates/sync', { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.body.synced).toBe(15);
    expect(res.body.data).toHaveLength(15);
  });

  it('preview renders the text with parameters (GET and POST) and refuses unknown templates', async () => {
    const get = await s.admin('/admin/api/templates/connectdesk_welcome/preview?language=es&parameters=Lucía');
    expect(get.status).toBe(200);
    expect(get.body).toMatchObject({ text: '¡Hola Lucía! 👋 Bienvenido al soporte de ConnectDesk. ¿En qué podemos ayudarte hoy?', missing: 0 });
    const post = await s.admin('/admin/api/templates/connectdesk_new_message/preview', { body: { language: 'en_US', parameters: ['Ana', 'example.com'] } });
    expect(post.body).toMatchObject({ text: 'New message from Ana on example.com: {{3}} — reply to this message to answer.', missing: 1 });
    const unknown = await s.admin('/admin/api/templates/nope/preview?language=en_US');
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('template_not_found');
    const noLanguage = await s.admin('/admin/api/templates/hello_world/preview');
    expect(noLanguage.status).toBe(400);
  });

  it('status, category, quality and component webhooks update the table', async () => {
    const waba = s.config.whatsapp.wabaId;
    const change = (field: string, value: object) => ({
      object: 'whatsapp_business_account',
      entry: [{ id: waba, time: 1751247548, changes: [{ field, value }] }],
    });
    const t = { message_template_id: 1000000000000007, message_template_name: 'connectdesk_survey', message_template_language: 'en_US' };
    await postWebhook(s, change('message_template_status_update', { ...t, event: 'APPROVED', reason: 'NONE', message_template_category: 'MARKETING' }));
    await postWebhook(s, change('template_category_update', { ...t, new_category: 'UTILITY' }));
    await postWebhook(s, change('message_template_quality_update', { ...t, previous_quality_score: 'GREEN', new_quality_score: 'YELLOW' }));
    await postWebhook(
      s,
      change('message_template_components_update', {
        ...t,
        message_template_element: 'Hi {{1}}, rate us from 1 to {{2}}.',
        message_template_footer: 'Thanks!',
      }),
    );
    const survey = await waitFor(async () => {
      const list = await s.admin('/admin/api/templates?name=connectdesk_survey');
      const row = list.body.data[0];
      return row?.body.startsWith('Hi {{1}}, rate us') ? row : null;
    });
    expect(survey).toMatchObject({ status: 'APPROVED', category: 'UTILITY', parameter_count: 2, footer: 'Thanks!' });
    const paused = await postWebhook(s, change('message_template_status_update', { ...t, event: 'PAUSED', reason: 'LOW_QUALITY' }));
    expect(paused.status).toBe(200);
    await waitFor(async () => (await s.admin('/admin/api/templates?name=connectdesk_survey')).body.data[0]?.status === 'PAUSED');
  });
});

describe('the 24-hour window', () => {
  let s: TestServer;
  let closed: any;
  let open: any;
  beforeAll(async () => {
    s = await startTestServer();
    // Heard from 25 hours ago (Meta's timestamp): the window is closed.
    await postWebhook(s, messagesWebhook(s, customerText('447700902001', 'an old question', { at: Date.now() - 25 * 3600_000, name: 'Old Timer' })));
    closed = await conversationOf(s, '447700902001');
    await phoneSend(s, '447700902002', { type: 'text', text: { body: 'a fresh question' }, profile_name: 'Newcomer' });
    open = await conversationOf(s, '447700902002');
  });
  afterAll(() => s.stop());

  it('is shown on the conversation', () => {
    expect(closed.window.open).toBe(false);
    expect(new Date(closed.window.closes_at).getTime()).toBeLessThan(Date.now());
    expect(open.window.open).toBe(true);
  });

  it('refuses a free-form reply outside it: 422 window_closed, nothing stored, nothing sent', async () => {
    const before = await messagesOf(s, closed.id);
    for (const body of [
      { message_type: 'text', text: 'Sorry for the delay!' },
      { message_type: 'media', media_id: '01ARZ3NDEKTSV4RRFFQ69G5FAV' },
    ]) {
      const res = await s.admin(`/admin/api/conversations/${closed.id}/messages`, { body });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('window_closed');
      expect(res.body.error.message).toMatch(/24 hours/);
    }
    expect(await messagesOf(s, closed.id)).toEqual(before);
    expect(await phoneInbox(s, '447700902001')).toEqual([]);
  });

  it('always allows a template, stored with its rendered text', async () => {
    const res = await s.admin(`/admin/api/conversations/${closed.id}/messages`, {
      body: { message_type: 'template', template: { name: 'connectdesk_reopen', language: 'en_US', parameters: ['Sam'] } },
    });
    expect(res.status).toBe(201);
    expect(res.body.message).toMatchObject({
      type: 'template',
      text: "Hi Sam, we'd like to follow up on your previous conversation. Please reply to this message if you need further assistance. We're here to help!",
      template: { name: 'connectdesk_reopen', language: 'en_US', parameters: ['Sam'] },
      status: 'queued',
    });
    const onPhone = await waitFor(async () => (await phoneInbox(s, '447700902001')).find((m) => m.type === 'template'));
    expect(onPhone.template).toMatchObject({ name: 'connectdesk_reopen', parameters: ['Sam'] });
  });

  it('refuses a template with the wrong number of parameters (template_param_mismatch), storing nothing', async () => {
    const before = (await messagesOf(s, open.id)).length;
    // Too few, too many, and one WhatsApp refuses (132018): a new line, a tab, five spaces in a row.
    for (const parameters of [[], ['a', 'b'], ['Sam\nand Kim'], ['Sam\tKim'], ['Sam     Kim']]) {
      const res = await s.admin(`/admin/api/conversations/${open.id}/messages`, {
        body: { message_type: 'template', template: { name: 'connectdesk_welcome', language: 'en_US', parameters } },
      });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('template_param_mismatch');
    }
    expect((await messagesOf(s, open.id)).length).toBe(before);
  });

  it('refuses unknown, unapproved or wrong-language templates (template_not_found)', async () => {
    for (const template of [
      { name: 'no_such_template', language: 'en_US', parameters: [] },
      { name: 'connectdesk_survey', language: 'en_US', parameters: ['x'] }, // PENDING
      { name: 'connectdesk_reopen', language: 'de', parameters: ['x'] },
    ]) {
      const res = await s.admin(`/admin/api/conversations/${open.id}/messages`, { body: { message_type: 'template', template } });
      expect(res.status, template.name).toBe(422);
      expect(res.body.error.code).toBe('template_not_found');
    }
    expect(await phoneInbox(s, '447700902002')).toEqual([]);
  });

  it('allows free-form inside it, with a quoted reply', async () => {
    const [question] = await messagesOf(s, open.id);
    const res = await s.admin(`/admin/api/conversations/${open.id}/messages`, {
      body: { message_type: 'text', text: 'Happy to help!', reply_to: question.id },
    });
    expect(res.status).toBe(201);
    expect(res.body.message.context).toMatchObject({ message_id: question.id, wamid: question.wamid });
    const onPhone = await waitFor(async () => (await phoneInbox(s, '447700902002')).find((m) => m.text === 'Happy to help!'));
    expect(onPhone.context).toEqual({ message_id: question.wamid });
    const foreign = await s.admin(`/admin/api/conversations/${open.id}/messages`, {
      body: { message_type: 'text', text: 'x', reply_to: '01ARZ3NDEKTSV4RRFFQ69G5FAV' },
    });
    expect(foreign.status).toBe(400);
  });
});
