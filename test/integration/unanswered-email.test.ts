/**
 * E-mail about conversations nobody answered, through a real SMTP server (smtp-server, with AUTH):
 * after the team's threshold an unassigned conversation is mailed to every agent who turned e-mail
 * on, an assigned one to its agent only (nobody when that agent has it off); one e-mail per waiting
 * stretch, never again after a restart; nothing for a conversation answered in time.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../support/smtp-sink.ts';
import { ADMIN, startTestServer, tempDir, type TestServer } from '../support/server.ts';

describe('unanswered-conversation e-mails', () => {
  let sink: SmtpSink;
  let s: TestServer;
  const dataDir = tempDir();
  let env: Record<string, string>;
  const cookies: Record<string, string> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    sink = await startSmtpSink();
    env = { SMTP_URL: sink.url, SMTP_FROM: 'ConnectDesk <desk@example.com>' };
    s = await startTestServer(env, { dataDir });
    for (const name of ['Bo', 'Cy']) {
      const res = await s.admin('/admin/api/agents', { body: { email: `${name.toLowerCase()}@example.com`, name } });
      ids[name] = res.body.agent.id;
      cookies[name] = await s.signIn({ email: `${name.toLowerCase()}@example.com`, password: res.body.password });
    }
  });
  afterAll(async () => {
    await s?.stop();
    await sink?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const visitorWrites = async (text: string, token?: string) => {
    const res = await s.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, visitor_token: token }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { conversation_id: string; visitor_token: string };
  };
  const linkTo = (conversationId: string) => `${s.url}/admin/conversations/${conversationId}`;
  // (the link's host changes with the restart below; the conversation's path does not)
  const about = (conversationId: string) => (m: ReceivedMail) => m.text.includes(`/admin/conversations/${conversationId}\n`);
  const mailsAbout = (conversationId: string) => sink.mails.filter(about(conversationId));

  it('the threshold is an admin setting; bad values are refused and change nothing', async () => {
    expect((await s.admin('/admin/api/settings/notifications')).body).toEqual({ settings: { unanswered_after_minutes: 10 }, email_configured: true });
    for (const body of [
      { unanswered_after_minutes: 0.01 },
      { unanswered_after_minutes: 5000 },
      { unanswered_after_minutes: '5' },
      {},
      { unanswered_after_minutes: 5, other: 1 },
    ]) {
      const res = await s.admin('/admin/api/settings/notifications', { method: 'PUT', body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await s.admin('/admin/api/settings/notifications', { method: 'PUT', body: { unanswered_after_minutes: 1 }, cookie: cookies.Bo })).status).toBe(403);
    expect((await s.admin('/admin/api/settings/notifications')).body.settings.unanswered_after_minutes).toBe(10);
  });

  it('e-mails the right agents once per waiting stretch, not about answered conversations, and not again after a restart', async () => {
    // Admin and Bo want e-mail; Cy does not.
    expect((await s.admin('/admin/api/me/preferences', { method: 'PATCH', body: { email: true } })).body.preferences.email).toBe(true);
    expect((await s.admin('/admin/api/me/preferences', { method: 'PATCH', body: { email: true }, cookie: cookies.Bo })).status).toBe(200);
    expect((await s.admin('/admin/api/settings/notifications', { method: 'PUT', body: { unanswered_after_minutes: 0.1 } })).status).toBe(200);

    // Oldest first: answered in time, unassigned, assigned to Cy (e-mail off), assigned to Bo.
    const answered = await visitorWrites('Do you ship to Spain?');
    const reply = await s.admin(`/admin/api/conversations/${answered.conversation_id}/messages`, { body: { message_type: 'text', text: 'Yes, we do.' } });
    expect(reply.status).toBe(201);
    const waiting = await visitorWrites('Is anyone there?');
    const forCy = await visitorWrites('Question for Cy');
    await s.admin(`/admin/api/conversations/${forCy.conversation_id}`, { method: 'PATCH', body: { assignee_id: ids.Cy } });
    const forBo = await visitorWrites('Question for Bo');
    await s.admin(`/admin/api/conversations/${forBo.conversation_id}`, { method: 'PATCH', body: { assignee_id: ids.Bo } });

    const mail = await sink.waitForMail(about(waiting.conversation_id));
    const contact = (await s.admin(`/admin/api/conversations/${waiting.conversation_id}`)).body.conversation.contact;
    expect(mail.rcptTo.sort()).toEqual([ADMIN.email, 'bo@example.com']);
    expect(mail.from).toBe('desk@example.com');
    expect(mail.subject).toBe(`Waiting for an answer: ${contact.generated_name}`);
    expect(mail.text).toContain('Is anyone there?');
    expect(mail.text).toContain(linkTo(waiting.conversation_id));
    const toBo = await sink.waitForMail(about(forBo.conversation_id));
    expect(toBo.rcptTo).toEqual(['bo@example.com']);
    // Mailed in order of waiting: the earlier ones would have arrived by now.
    expect(mailsAbout(answered.conversation_id)).toEqual([]);
    expect(mailsAbout(forCy.conversation_id)).toEqual([]);
    expect(sink.failedLogins).toBe(0);

    // The visitor writes again while still waiting: the same stretch, no second e-mail.
    await visitorWrites('Hello??', waiting.visitor_token);

    // A restart (same database) sends nothing twice; a newcomer after it is the sentinel.
    await s.stop();
    s = await startTestServer(env, { dataDir });
    const sentinel = await visitorWrites('After the restart');
    await sink.waitForMail(about(sentinel.conversation_id));
    expect(mailsAbout(waiting.conversation_id)).toHaveLength(1);
    expect(mailsAbout(forBo.conversation_id)).toHaveLength(1);
    expect(mailsAbout(answered.conversation_id)).toEqual([]);

    // Answered, then the visitor writes again: a new stretch, a new e-mail.
    await s.admin(`/admin/api/conversations/${waiting.conversation_id}/messages`, { body: { message_type: 'text', text: 'Sorry, here now.' } });
    await visitorWrites('Thanks, one more thing', waiting.visitor_token);
    await sink.waitForMail((m) => about(waiting.conversation_id)(m) && m.text.includes('one more thing'));
    expect(mailsAbout(waiting.conversation_id)).toHaveLength(2);
  }, 120_000);
});
