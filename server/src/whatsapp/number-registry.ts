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

  /** The clock (tests pass their own). */
  private readonly now: () => number;
  private readonly config: NumberRegistryDeps['config'];
  private readonly repo: NumberRegistryDeps['repo'];
  private readonly cacheMs: NumberRegistryDeps['cacheMs'];
  private readonly sandboxToken: NumberRegistryDeps['sandboxToken'];
  private readonly secrets: NumberRegistryDeps['secrets'];

  constructor({ config, repo, cacheMs, sandboxToken, secrets, now }: NumberRegistryDeps) {
    this.now = now ?? Date.now;
    this.config = config;
    this.repo = repo;
    this.cacheMs = cacheMs;
    this.sandboxToken = sandboxToken;
    this.secrets = secrets;
  }

  /** Make sure the configured number exists (the first one becomes the default). */
  async seed(): Promise<WhatsAppNumber> {
    const { phoneNumberId, wabaId } = this.config.whatsapp;
    const existing = await this.repo.byPhoneNumberId(phoneNumberId);
    const hasDefault = (await this.repo.list()).some((n) => n.isDefault);
    const number = await this.repo.upsert(phoneNumberId, {
      wabaId: existing?.wabaId ?? wabaId,
      ...(hasDefault ? {} : { isDefault: true }),
    });
    this.cache.clear();
    return number;
  }

  async byPhoneNumberId(phoneNumberId: string): Promise<WhatsAppNumber | null> {
    const hit = this.cache.get(phoneNumberId);
    if (hit && this.now() - hit.at < (this.cacheMs ?? 5000)) return hit.number;
    const number = await this.repo.byPhoneNumberId(phoneNumberId);
    this.cache.set(phoneNumberId, { at: this.now(), number });
    return number;
  }

  async byDisplayPhoneNumber(digits: string): Promise<WhatsAppNumber | null> {
    return (await this.repo.list()).find((n) => n.displayPhoneNumber?.replace(/\D/g, '') === digits) ?? null;
  }

  async list(): Promise<WhatsAppNumber[]> {
    return this.repo.list();
  }

  async defaultNumber(): Promise<WhatsAppNumber | null> {
    return this.repo.defaultNumber();
  }

  /** The number a conversation belongs to, else the default one. */
  async forConversation(whatsappNumberId: string | null): Promise<WhatsAppNumber | null> {
    return (whatsappNumberId ? await this.repo.byId(whatsappNumberId) : null) ?? (await this.repo.defaultNumber());
  }

  async update(phoneNumberId: string, patch: Parameters<WhatsAppNumbersRepo['upsert']>[1]): Promise<void> {
    await this.repo.upsert(phoneNumberId, patch);
    this.cache.delete(phoneNumberId);
  }

  /** Sends from this number failed with an auth error (190, 0, 10, 200–299): pause them until a token is saved. */
  async reportTokenProblem(phoneNumberId: string, problem: { code: string; detail: string | null }): Promise<void> {
    await this.update(phoneNumberId, { tokenProblem: { ...problem, at: this.now() } });
  }

  /** A token was saved for this number: sending may resume (the outbox wakes its waiting rows). */
  async clearTokenProblem(phoneNumberId: string): Promise<void> {
    await this.update(phoneNumberId, { tokenProblem: null });
  }

  tokenFor(number: WhatsAppNumber): string {
    if (this.sandboxToken) return this.sandboxToken;
    if (number.accessTokenSealed) return this.secrets.open(number.accessTokenSealed);
    if (this.config.whatsapp.accessToken) return this.config.whatsapp.accessToken;
    throw new Error(`no access token for WhatsApp number ${number.phoneNumberId}`);
  }

  wabaIdOf(number: WhatsAppNumber): string {
    return number.wabaId ?? this.config.whatsapp.wabaId;
  }

  /** The owner's WhatsApp (digits) that visitor messages go to, or null when none is set. */
  ownerPhoneOf(number: WhatsAppNumber): string | null {
    return number.targetPhone?.replace(/\D/g, '') || this.config.whatsapp.targetPhone;
  }
}
