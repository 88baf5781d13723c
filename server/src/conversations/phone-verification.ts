/**
 * A WhatsApp number a visitor types is only a claim: anyone can type anyone's number, and every
 * template sent to it is billed to the business (and unsolicited, against Meta's opt-in policy).
 * So a visitor's number stays *unverified* — nothing is sent to it, free-form or template — until
 * that WhatsApp number itself writes to the business with the code this visitor was shown. That
 * proves the visitor holds the number, is the opt-in Meta asks for, and opens the number's 24-hour
 * window, so the first replies there are free service messages.
 *
 * The code is shown in the visitor's own chat (a system message with a wa.me link that fills it in)
 * when they leave a number with consent to continue on WhatsApp; a new number gets a new code. A
 * code verifies only the number it was issued for: someone else sending it proves nothing.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { ContactRow, ContactsRepo } from '../db/repos/contacts-repo.ts';
import type { ConversationsRepo } from '../db/repos/conversations-repo.ts';
import type { MessageRow, MessagesRepo } from '../db/repos/messages-repo.ts';
import { bool } from '../db/json.ts';

/** No 0/O or 1/I: the visitor may type it by hand. 32 symbols, 6 of them: about 10^9 codes. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_IN_TEXT = /(?:^|[^A-Z0-9])CD[-\s]?([A-HJ-NP-Z2-9]{6})(?![A-Z0-9])/i;

export function newVerificationCode(random: (n: number) => Buffer = randomBytes): string {
  const bytes = random(6);
  let code = 'CD-';
  for (const b of bytes) code += ALPHABET[b % ALPHABET.length];
  return code;
}

/** The code in a message ("CD-7K3Q9P", "cd 7k3q9p"), normalised, or null. */
export function findVerificationCode(text: string): string | null {
  const m = CODE_IN_TEXT.exec(text);
  return m ? `CD-${m[1]!.toUpperCase()}` : null;
}

export function verificationPrompt(phone: string, code: string, businessNumber: string | null): string {
  const where = businessNumber ? ` — https://wa.me/${businessNumber}?text=${encodeURIComponent(code)}` : ' to our WhatsApp number';
  return `To get our replies on WhatsApp when you leave, confirm that ${phone} is yours: send the code ${code} from that WhatsApp number${where}. Until then, replies stay in this chat.`;
}

function verifiedNote(phone: string): string {
  return `WhatsApp ${phone} is confirmed: if you leave, our replies continue there.`;
}

/** Is this contact's phone proven? A WhatsApp contact wrote from it; a visitor sent their code from it. */
export function phoneVerified(c: Pick<ContactRow, 'wa_id' | 'phone_verified_at'>): boolean {
  return c.wa_id !== null || c.phone_verified_at !== null;
}

/** The contact change for a (possibly new) phone: a different number starts unverified, with no code. */
export function phonePatch(contact: ContactRow | null, phone: string): Partial<ContactRow> {
  if (contact?.phone === phone) return {};
  return { phone, phone_verified_at: null, phone_verification_code: null };
}

export interface PhoneVerificationDeps {
  contacts: ContactsRepo;
  conversations: ConversationsRepo;
  messages: MessagesRepo;
  now?: () => number;
}

export class PhoneVerification {
  /** The clock (tests pass their own). */
  private readonly now: () => number;
  private readonly contacts: PhoneVerificationDeps['contacts'];
  private readonly conversations: PhoneVerificationDeps['conversations'];
  private readonly messages: PhoneVerificationDeps['messages'];

  constructor({ contacts, conversations, messages, now }: PhoneVerificationDeps) {
    this.now = now ?? Date.now;
    this.contacts = contacts;
    this.conversations = conversations;
    this.messages = messages;
  }

  /**
   * Inside the transaction that stored what the visitor said: when they left a number with consent
   * that is not proven and has no code yet, issue one and show it in their chat. Returns the
   * message to push once committed.
   */
  async promptIfNeeded(trx: Knex, contactId: string, conversationId: string, businessNumber: string | null): Promise<MessageRow | null> {
    await this.contacts.lockForUpdate(contactId, trx);
    const contact = await this.contacts.byId(contactId, trx);
    return contact ? this.promptFor(trx, contact, conversationId, businessNumber) : null;
  }

  /** `promptIfNeeded` for a contact the caller locked and read in this transaction. */
  async promptFor(trx: Knex, contact: ContactRow, conversationId: string, businessNumber: string | null): Promise<MessageRow | null> {
    if (!contact.phone || !bool(contact.whatsapp_consent) || phoneVerified(contact) || contact.phone_verification_code) return null;
    const code = newVerificationCode();
    await this.contacts.update(contact.id, { phone_verification_code: code }, trx);
    return this.systemMessage(trx, conversationId, verificationPrompt(contact.phone, code, businessNumber));
  }

  /**
   * Inside the transaction that stored a customer's WhatsApp message: if it carries a code issued
   * for this very number, the visitor who was shown it holds the number. Returns the note left in
   * each such visitor's web chat.
   */
  async confirmFromWhatsApp(trx: Knex, waId: string, text: string): Promise<MessageRow[]> {
    const code = findVerificationCode(text);
    if (!code) return [];
    const notes: MessageRow[] = [];
    for (const visitor of await this.contacts.awaitingVerification(code, `+${waId}`, trx)) {
      await this.contacts.update(visitor.id, { phone_verified_at: this.now(), phone_verification_code: null }, trx);
      const chat = await this.conversations.latestFor(visitor.id, 'web', trx);
      if (chat) notes.push(await this.systemMessage(trx, chat.id, verifiedNote(visitor.phone!)));
    }
    return notes;
  }

  private systemMessage(trx: Knex, conversationId: string, text: string): Promise<MessageRow> {
    return this.messages.insert(
      { conversationId, channel: 'web', direction: 'outbound', sender: 'system', type: 'text', body: text, status: 'sent', createdAt: this.now() },
      trx,
    );
  }
}
