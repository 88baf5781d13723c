/**
 * The business numbers ConnectDesk sends from and receives on: seeded from the configuration at
 * start, looked up by Meta's phone_number_id for webhook routing, with the token to use for each
 * (sealed per number, else WHATSAPP_ACCESS_TOKEN; the sandbox's own token in sandbox mode) and
 * the owner's phone that visitor messages are forwarded to.
 */
import type { Config } from '../config.ts';
import type { WhatsAppNumber, WhatsAppNumbersRepo } from '../db/repos/whatsapp-numbers-repo.ts';
import type { SecretBox } from '../secret-box.ts';

export interface NumberRegistryDeps {
  repo: WhatsAppNumbersRepo;
  secrets: SecretBox;
  config: Config;
  /** The token for every number in sandbox mode. */
  sandboxToken: string | null;
  /** How long lookups are cached (numbers change rarely; settings edits show up after this). */
  cacheMs?: number;
  now?: () => number;
}

export class NumberRegistry {
  private cache = new Map<string, { at: number; number: WhatsAppNumber | null }>();

  constructor(private readonly d: NumberRegistryDeps) {}

  /** Make sure the configured number exists (the first one becomes the default). */
  async seed(): Promise<WhatsAppNumber> {
    const { phoneNumberId, wabaId } = this.d.config.whatsapp;
    const existing = await this.d.repo.byPhoneNumberId(phoneNumberId);
    const hasDefault = (await this.d.repo.list()).some((n) => n.isDefault);
    const number = await this.d.repo.upsert(phoneNumberId, {
      wabaId: existing?.wabaId ?? wabaId,
      ...(hasDefault ? {} : { isDefault: true }),
    });
    this.cache.clear();
    return number;
  }

  private now(): number {
    return (this.d.now ?? Date.now)();
  }

  async byPhoneNumberId(phoneNumberId: string): Promise<WhatsAppNumber | null> {
    const hit = this.cache.get(phoneNumberId);
    if (hit && this.now() - hit.at < (this.d.cacheMs ?? 5000)) return hit.number;
    const number = await this.d.repo.byPhoneNumberId(phoneNumberId);
    this.cache.set(phoneNumberId, { at: this.now(), number });
    return number;
  }

  async byDisplayPhoneNumber(digits: string): Promise<WhatsAppNumber | null> {
    return (await this.d.repo.list()).find((n) => n.displayPhoneNumber?.replace(/\D/g, '') === digits) ?? null;
  }

  async defaultNumber(): Promise<WhatsAppNumber | null> {
    return this.d.repo.defaultNumber();
  }

  /** The number a conversation belongs to, else the default one. */
  async forConversation(whatsappNumberId: string | null): Promise<WhatsAppNumber | null> {
    return (whatsappNumberId ? await this.d.repo.byId(whatsappNumberId) : null) ?? (await this.d.repo.defaultNumber());
  }

  async update(phoneNumberId: string, patch: Parameters<WhatsAppNumbersRepo['upsert']>[1]): Promise<void> {
    await this.d.repo.upsert(phoneNumberId, patch);
    this.cache.delete(phoneNumberId);
  }

  tokenFor(number: WhatsAppNumber): string {
    if (this.d.sandboxToken) return this.d.sandboxToken;
    if (number.accessTokenSealed) return this.d.secrets.open(number.accessTokenSealed);
    if (this.d.config.whatsapp.accessToken) return this.d.config.whatsapp.accessToken;
    throw new Error(`no access token for WhatsApp number ${number.phoneNumberId}`);
  }

  wabaIdOf(number: WhatsAppNumber): string {
    return number.wabaId ?? this.d.config.whatsapp.wabaId;
  }

  /** The owner's WhatsApp (digits) that visitor messages go to, or null when none is set. */
  ownerPhoneOf(number: WhatsAppNumber): string | null {
    return number.targetPhone?.replace(/\D/g, '') || this.d.config.whatsapp.targetPhone;
  }
}
