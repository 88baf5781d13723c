/**
 * The forwarding settings (Settings → WhatsApp) and the site's time zone (the business hours'
 * one, Settings → Widget), read on every visitor message: kept for a moment so the visitor path
 * does not read two settings rows per message. Saving here takes effect at once on this node and
 * within `ttlMs` on others.
 */
import { OwnerForwardingSchema, WidgetSettingsSchema, type OwnerForwarding } from '@connectdesk/shared';
import type { SettingsRepo } from '../../db/repos/settings-repo.ts';

export const OWNER_FORWARDING_KEY = 'owner_forwarding';

export interface OwnerSettings {
  settings: OwnerForwarding;
  timeZone: string;
}

export class OwnerSettingsStore {
  private cached: { value: OwnerSettings; until: number } | null = null;

  constructor(
    private readonly repo: SettingsRepo,
    private readonly ttlMs = 2_000,
    private readonly now: () => number = Date.now,
  ) {}

  async current(): Promise<OwnerSettings> {
    if (this.cached && this.cached.until > this.now()) return this.cached.value;
    const [settings, widget] = await Promise.all([this.repo.get(OWNER_FORWARDING_KEY, OwnerForwardingSchema), this.repo.get('widget', WidgetSettingsSchema)]);
    const value = { settings, timeZone: widget.business_hours.timezone };
    this.cached = { value, until: this.now() + this.ttlMs };
    return value;
  }

  async save(settings: OwnerForwarding): Promise<OwnerSettings> {
    await this.repo.set(OWNER_FORWARDING_KEY, settings);
    this.cached = null;
    return this.current();
  }
}
