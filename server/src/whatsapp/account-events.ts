/**
 * Account webhooks as admins need them: `account_update` (bans, violations, restrictions),
 * `phone_number_quality_update` (quality flags, messaging-limit tier, and THROUGHPUT_UPGRADE —
 * a throughput level, never a messaging tier), `phone_number_name_update` (display-name
 * decisions) and `account_alerts`. Each is kept with a one-line summary and a severity, and what
 * it says about a number (quality, tier, throughput, approved name) is stored on that number.
 */
import type { AccountEventSeverity, AccountEventsRepo } from '../db/repos/account-events-repo.ts';
import type { NumberPatch } from '../db/repos/whatsapp-numbers-repo.ts';
import type { NumberRegistry } from './number-registry.ts';

export const ACCOUNT_FIELDS = new Set(['account_update', 'phone_number_quality_update', 'phone_number_name_update', 'account_alerts']);

type Value = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const obj = (v: unknown): Value => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Value) : {});
const words = (s: string) => s.toLowerCase().replace(/_/g, ' ');

interface Reading {
  event: string | null;
  phoneNumber: string | null;
  severity: AccountEventSeverity;
  summary: string;
  patch?: NumberPatch;
}

/** The messaging limit a quality update names (Meta moved it to max_daily_conversations_per_business in 2026). */
function tierOf(value: Value): string | null {
  return str(value.max_daily_conversations_per_business) ?? str(value.current_limit);
}

function readQuality(value: Value): Reading {
  const event = str(value.event);
  const phoneNumber = str(value.display_phone_number);
  const number = phoneNumber ? `+${phoneNumber.replace(/\D/g, '')}` : 'a number';
  switch (event) {
    case 'THROUGHPUT_UPGRADE':
      return {
        event,
        phoneNumber,
        severity: 'info',
        summary: `${number} was upgraded to higher throughput (up to 1,000 messages per second).`,
        patch: { throughputLevel: 'HIGH' },
      };
    case 'FLAGGED':
      return {
        event,
        phoneNumber,
        severity: 'warning',
        summary: `${number} was flagged for low quality: improve quality within 7 days or its messaging limit drops.`,
        patch: { qualityRating: 'RED' },
      };
    case 'UNFLAGGED':
      return { event, phoneNumber, severity: 'info', summary: `${number} is no longer flagged for low quality.`, patch: { qualityRating: 'GREEN' } };
    default: {
      const tier = tierOf(value);
      const from = str(value.old_limit);
      const summary = tier
        ? `${number}: messaging limit ${event === 'DOWNGRADE' ? 'lowered' : event === 'UPGRADE' ? 'raised' : 'now'} ${from ? `from ${from} ` : ''}to ${tier}.`
        : `${number}: quality update ${event ?? '(no event)'}.`;
      return { event, phoneNumber, severity: event === 'DOWNGRADE' ? 'warning' : 'info', summary, ...(tier ? { patch: { messagingTier: tier } } : {}) };
    }
  }
}

function readAccountUpdate(value: Value): Reading {
  const event = str(value.event);
  const phoneNumber = str(value.phone_number);
  const ban = obj(value.ban_info);
  const violation = obj(value.violation_info);
  const restrictions = Array.isArray(value.restriction_info) ? value.restriction_info.map(obj) : [];
  // Meta sends waba_ban_state as a list (["DISABLE"]); older payloads as a string.
  const banState = Array.isArray(ban.waba_ban_state) ? str(ban.waba_ban_state[0]) : str(ban.waba_ban_state);
  if (event === 'DISABLED_UPDATE' || banState) {
    const state = banState ?? 'DISABLE';
    const when = str(ban.waba_ban_date);
    const summary =
      state === 'REINSTATE'
        ? 'The WhatsApp Business Account was reinstated: sending works again.'
        : state === 'SCHEDULE_FOR_DISABLE'
          ? `The WhatsApp Business Account is scheduled to be disabled${when ? ` on ${when}` : ''}. Review the notice in WhatsApp Manager and appeal if it is wrong.`
          : `The WhatsApp Business Account was disabled${when ? ` on ${when}` : ''}: nothing can be sent. Appeal in WhatsApp Manager → Account quality.`;
    return { event, phoneNumber, severity: state === 'REINSTATE' ? 'info' : 'critical', summary };
  }
  if (event === 'ACCOUNT_VIOLATION') {
    const type = str(violation.violation_type);
    return {
      event,
      phoneNumber,
      severity: 'warning',
      summary: `Meta recorded a policy violation${type ? ` (${words(type)})` : ''}. Review it in WhatsApp Manager → Account quality.`,
    };
  }
  if (event === 'ACCOUNT_RESTRICTION' || restrictions.length > 0) {
    const list = restrictions
      .map((r) => `${words(str(r.restriction_type) ?? 'restriction')}${str(r.expiration) ? ` until ${str(r.expiration)}` : ''}`)
      .join('; ');
    return { event, phoneNumber, severity: 'critical', summary: `Meta restricted the account${list ? `: ${list}` : ''}.` };
  }
  return { event, phoneNumber, severity: 'info', summary: `Account update: ${event ? words(event) : 'no event named'}.` };
}

function readNameUpdate(value: Value): Reading {
  const decision = str(value.decision);
  const phoneNumber = str(value.display_phone_number);
  const name = str(value.requested_verified_name);
  const reason = str(value.rejection_reason);
  const number = phoneNumber ? `+${phoneNumber.replace(/\D/g, '')}` : 'a number';
  if (decision === 'APPROVED') {
    return {
      event: decision,
      phoneNumber,
      severity: 'info',
      summary: `Display name “${name ?? '?'}” of ${number} was approved.`,
      ...(name ? { patch: { verifiedName: name } } : {}),
    };
  }
  if (decision === 'REJECTED') {
    return {
      event: decision,
      phoneNumber,
      severity: 'warning',
      summary: `Display name “${name ?? '?'}” of ${number} was rejected${reason && reason !== 'NONE' ? ` (${words(reason)})` : ''}. Submit a name that follows Meta’s display name guidelines.`,
    };
  }
  return {
    event: decision,
    phoneNumber,
    severity: 'info',
    summary: `Display name “${name ?? '?'}” of ${number}: ${decision ? words(decision) : 'no decision yet'}.`,
  };
}

function readAlert(value: Value): Reading {
  const info = obj(value.alert_info);
  const severity = str(info.alert_severity);
  const type = str(info.alert_type);
  const description = str(info.alert_description);
  const entity = str(value.entity_type);
  return {
    event: type,
    phoneNumber: entity === 'PHONE_NUMBER' ? str(value.entity_id) : null,
    severity: severity === 'CRITICAL' ? 'critical' : severity === 'WARNING' ? 'warning' : 'info',
    summary: `${description ?? (type ? words(type) : 'Alert')}${str(info.alert_status) === 'NONE' ? ' (resolved)' : ''}`,
  };
}

const READERS: Record<string, (value: Value) => Reading> = {
  account_update: readAccountUpdate,
  phone_number_quality_update: readQuality,
  phone_number_name_update: readNameUpdate,
  account_alerts: readAlert,
};

export class AccountEvents {
  constructor(private readonly deps: { repo: AccountEventsRepo; numbers: NumberRegistry; now?: () => number }) {}

  /** Record one account change (`entryId` is the WABA id) and bring its number up to date. */
  async apply(field: string, entryId: string, value: Value, entryTime?: number): Promise<void> {
    const read = READERS[field];
    if (!read) return;
    const r = read(value);
    if (r.patch && r.phoneNumber) {
      const digits = r.phoneNumber.replace(/\D/g, '');
      const number = (await this.deps.numbers.byDisplayPhoneNumber(digits)) ?? (await this.deps.numbers.byPhoneNumberId(r.phoneNumber));
      if (number) await this.deps.numbers.update(number.phoneNumberId, r.patch);
    }
    await this.deps.repo.add({
      field,
      event: r.event,
      wabaId: entryId || null,
      phoneNumber: r.phoneNumber,
      severity: r.severity,
      summary: r.summary,
      payload: value,
      occurredAt: entryTime ? entryTime * 1000 : (this.deps.now ?? Date.now)(),
    });
  }
}
