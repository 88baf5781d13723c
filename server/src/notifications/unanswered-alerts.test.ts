import { describe, expect, it } from 'vitest';
import type { ConversationJson } from '@connectdesk/shared';
import { headerText } from './mailer.ts';
import { unansweredMail } from './unanswered-alerts.ts';

const conversation = (contact: Partial<ConversationJson['contact']>, patch: Partial<ConversationJson> = {}): ConversationJson => ({
  id: 'c1',
  channel: 'web',
  status: 'open',
  contact: { id: 'k1', name: null, wa_id: null, generated_name: 'Amber Falcon', ...contact },
  window: { open: true, closes_at: null },
  last_message_at: null,
  last_message_preview: 'Is anyone there?\nHello?',
  unread: 2,
  assignee_id: null,
  whatsapp_consent: false,
  created_at: '2026-12-01T10:00:00.000Z',
  ...patch,
});

describe('the unanswered-conversation e-mail', () => {
  it('names the customer, how long they waited, quotes their message and links to the conversation', () => {
    const mail = unansweredMail(conversation({}), {
      to: ['ana@example.com'],
      waitedMs: 12 * 60_000 + 20_000,
      link: 'https://desk.example.com/admin/conversations/c1',
      siteName: 'Shop',
    });
    expect(mail.to).toEqual(['ana@example.com']);
    expect(mail.subject).toBe('Waiting for an answer: Amber Falcon');
    expect(mail.text).toContain('Amber Falcon has been waiting 12 minutes for an answer on the website chat (Shop).');
    expect(mail.text).toContain('> Is anyone there?\n> Hello?');
    expect(mail.text).toContain('\nhttps://desk.example.com/admin/conversations/c1\n');
  });

  it('prefers the real name, then the WhatsApp number; keeps the subject to one line', () => {
    expect(unansweredMail(conversation({ name: 'Ana\r\nBcc: evil@example.com' }), { to: [], waitedMs: 60_000, link: 'x', siteName: 'S' }).subject).toBe(
      'Waiting for an answer: Ana Bcc: evil@example.com',
    );
    const wa = unansweredMail(conversation({ wa_id: '447700900123', generated_name: null }, { channel: 'whatsapp' }), {
      to: [],
      waitedMs: 30_000,
      link: 'x',
      siteName: 'S',
    });
    expect(wa.subject).toBe('Waiting for an answer: +447700900123');
    expect(wa.text).toContain('waiting 1 minute for an answer on WhatsApp');
    expect(headerText('a\u0000b\u001fc\u007f  d', 200)).toBe('a b c d');
    expect(headerText('x'.repeat(300))).toHaveLength(200);
  });
});
