/**
 * What a send means for the rest of ConnectDesk: the Cloud API call for an outbox row (uploading
 * an agent's file first when it has no Meta media id yet; paying a message to the owner's phone
 * from the pair budget first), then the message, owner message and live views brought up to
 * date — `sent` with its wamid, `queued` with the reason while retrying, or `failed` with Meta's
 * code, title and details.
 */
import type { TxRunner } from '../db/group-commit.ts';
import type { SendMessage } from '@connectdesk/shared';
import { LOCAL_ERRORS } from '@connectdesk/shared';
import type { ForwardsRepo } from '../db/repos/forwards-repo.ts';
import type { OwnerMessagesRepo } from '../db/repos/owner-messages-repo.ts';
import type { MediaRepo, MediaRow } from '../db/repos/media-repo.ts';
import type { MessagesRepo } from '../db/repos/messages-repo.ts';
import { outboxPayload, type OutboxRepo, type OutboxRow } from '../db/repos/outbox-repo.ts';
import type { CloudApi } from './graph-api.ts';
import { errorCodeOf, GraphApiError, GraphTransportError, isTokenProblem } from './graph-error.ts';
import { JobDeferred } from '../jobs/job.ts';
import { isMediaType } from '@connectdesk/shared/cloud-api/inbound-summary';
import type { MediaStore } from './media-store.ts';
import type { ConversationLog } from '../conversations/conversation-log.ts';
import type { NumberRegistry } from './number-registry.ts';
import type { WhatsAppNumber } from '../db/repos/whatsapp-numbers-repo.ts';
import type { OutboxHandler } from './outbox-worker.ts';
import type { OwnerSendGate } from './owner-send-gate.ts';
import type { StatusUpdates } from './status-updates.ts';

interface SendError {
  code: string;
  title: string;
  detail: string | null;
}

/** A failure on our side before anything reached Meta (no number, file missing...). */
class LocalSendError extends Error {
  override name = 'LocalSendError';
}

function sendErrorOf(err: unknown): SendError {
  if (err instanceof GraphApiError) return { code: errorCodeOf(err), title: err.title, detail: err.details ?? err.message };
  if (err instanceof GraphTransportError) return { code: err.kind, title: LOCAL_ERRORS[err.kind]?.title ?? 'Could not reach WhatsApp', detail: err.message };
  const code = errorCodeOf(err);
  if (code !== 'unknown') return { code, title: LOCAL_ERRORS[code]?.title ?? code, detail: (err as Error).message };
  return { code: 'local_error', title: LOCAL_ERRORS.local_error?.title ?? 'Could not prepare the message', detail: (err as Error)?.message ?? String(err) };
}

export interface OutboxDeliveryDeps {
  /** Group-committed transactions (db/group-commit.ts). */
  tx: TxRunner;
  outbox: OutboxRepo;
  messages: MessagesRepo;
  forwards: ForwardsRepo;
  media: MediaRepo;
  store: MediaStore;
  numbers: NumberRegistry;
  cloud: CloudApi;
  statuses: StatusUpdates;
  push: ConversationLog;
  ownerMessages: OwnerMessagesRepo;
  /** Pays messages to the owner's phone from the pair budget. */
  ownerGate: OwnerSendGate;
  /** A message to the owner was sent or gave up: what waits for the owner may go now. */
  onOwnerMessageDone: () => void;
}

/** While a number's sending is paused, how often a waiting send looks whether it may go (saving a token wakes them at once). */
const PAUSED_RECHECK_MS = 30_000;

export class OutboxDelivery implements OutboxHandler {
  constructor(private readonly deps: OutboxDeliveryDeps) {}

  async send(row: OutboxRow): Promise<string | null> {
    const number = await this.deps.numbers.byPhoneNumberId(row.phone_number_id);
    if (!number) throw new LocalSendError(`WhatsApp number ${row.phone_number_id} is no longer configured`);
    if (number.tokenProblem) return this.pause(row, number.tokenProblem.code, number.tokenProblem.detail);
    try {
      return await this.sendWith(row, number);
    } catch (err) {
      if (!isTokenProblem(err)) throw err;
      // Every send of this number would fail alike: pause them all (nothing fails) until a valid token is saved.
      const detail = `${err.title}: ${err.details ?? err.message}`;
      await this.deps.numbers.reportTokenProblem(number.phoneNumberId, { code: errorCodeOf(err), detail });
      return this.pause(row, errorCodeOf(err), detail);
    }
  }

  /** Leave the row waiting (not an attempt) and say on its message why. */
  private async pause(row: OutboxRow, code: string, detail: string | null): Promise<never> {
    if (row.message_id) {
      const message = await this.deps.messages.byId(row.message_id);
      if (message?.status === 'queued' && message.error_code !== code) {
        const why =
          'Sending is paused: the WhatsApp access token is expired or invalid. It resumes on its own once a valid token is saved in Settings → WhatsApp numbers.';
        await this.deps.messages.update(message.id, {
          error_code: code.slice(0, 32),
          error_title: 'Paused: access token problem',
          error_detail: `${why} ${detail ?? ''}`.trim(),
        });
        await this.deps.push.announceStatusById(message.id);
      }
    }
    throw new JobDeferred(Date.now() + PAUSED_RECHECK_MS);
  }

  private async sendWith(row: OutboxRow, number: WhatsAppNumber): Promise<string | null> {
    const opts = { phoneNumberId: number.phoneNumberId, token: this.deps.numbers.tokenFor(number) };
    const payload = outboxPayload<Record<string, unknown>>(row);
    if (row.kind === 'mark_read') {
      await this.deps.cloud.markRead(String(payload.message_id), opts);
      return null;
    }
    if (row.message_id) await this.attachMedia(row.message_id, payload, opts);
    const owner = this.deps.ownerGate.applies(row);
    if (owner) await this.deps.ownerGate.admit(row);
    try {
      const res = await this.deps.cloud.sendMessage(payload as SendMessage, opts);
      return res.messages[0]?.id ?? null;
    } catch (err) {
      if (owner) await this.deps.ownerGate.refused(row, err);
      throw err;
    }
  }

  async deferred(row: OutboxRow, owner: string, retryAt: number): Promise<void> {
    await this.deps.outbox.defer(row.id, owner, retryAt);
  }

  /** Media payloads carry no Meta id in the outbox: upload the file once, then reuse its id. */
  private async attachMedia(messageId: string, payload: Record<string, unknown>, opts: { phoneNumberId: string; token: string }): Promise<void> {
    const kind = String(payload.type);
    if (kind === 'template') return this.attachHeaderMedia(messageId, payload, opts);
    if (!isMediaType(kind)) return;
    const message = await this.deps.messages.byId(messageId);
    const media = message?.media_id ? await this.deps.media.byId(message.media_id) : null;
    if (!media) throw new LocalSendError('the file of this message no longer exists');
    payload[kind] = { ...(payload[kind] as Record<string, unknown>), id: await this.metaMediaId(media, opts) };
  }

  /** A template whose media header is an uploaded file: the same upload, its id in the header parameter. */
  private async attachHeaderMedia(messageId: string, payload: Record<string, unknown>, opts: { phoneNumberId: string; token: string }): Promise<void> {
    const message = await this.deps.messages.byId(messageId);
    if (!message?.media_id) return;
    const media = await this.deps.media.byId(message.media_id);
    if (!media) throw new LocalSendError('the header file of this template no longer exists');
    const id = await this.metaMediaId(media, opts);
    const template = payload.template as { components?: { type: string; parameters: Record<string, unknown>[] }[] };
    for (const c of template.components ?? []) {
      if (c.type !== 'header') continue;
      c.parameters = c.parameters.map((p) => (isMediaType(String(p.type)) ? { ...p, [String(p.type)]: { ...(p[String(p.type)] as object), id } } : p));
    }
  }

  private async metaMediaId(media: MediaRow, opts: { phoneNumberId: string; token: string }): Promise<string> {
    let metaId = media.meta_media_id;
    if (!metaId) {
      if (!media.storage_path || !(await this.deps.store.exists(media.storage_path))) throw new LocalSendError('the file of this message is missing on disk');
      const bytes = await this.deps.store.read(media.storage_path);
      metaId = (await this.deps.cloud.uploadMedia(bytes, media.mime ?? 'application/octet-stream', media.filename ?? `file-${media.id}`, opts)).id;
      await this.deps.media.setMetaMediaId(media.id, metaId);
    }
    return metaId;
  }

  async succeeded(row: OutboxRow, owner: string, wamid: string | null): Promise<void> {
    const now = Date.now();
    const recorded = await this.deps.tx(async (trx) => {
      if (!(await this.deps.outbox.complete(row.id, owner, trx))) return false; // our lease ran out: another worker owns it now
      if (row.message_id && wamid) {
        const message = await this.deps.messages.byId(row.message_id, trx);
        await this.deps.messages.update(
          row.message_id,
          {
            wamid,
            sent_at: now,
            error_code: null,
            error_title: null,
            error_detail: null,
            ...(message?.status === 'queued' ? { status: 'sent' as const } : {}),
          },
          trx,
        );
      }
      if (row.forward_id && wamid) await this.deps.forwards.markSent(row.forward_id, wamid, trx);
      if (row.owner_message_id && wamid) await this.deps.ownerMessages.markSent(row.owner_message_id, wamid, now, trx);
      return true;
    });
    if (!recorded) return;
    if (row.owner_message_id) this.deps.onOwnerMessageDone();
    if (wamid) await this.deps.statuses.flushPending(wamid);
    if (row.message_id) await this.deps.push.announceStatusById(row.message_id);
    // Replies quoting this wamid that were stored before it (inbound-messages.ts links the other order).
    if (row.message_id && wamid) for (const id of await this.deps.messages.linkQuotesOf(wamid, row.message_id)) await this.deps.push.announceById(id);
  }

  async retrying(row: OutboxRow, owner: string, err: unknown, nextAttemptAt: number): Promise<void> {
    const e = sendErrorOf(err);
    const detail = `Attempt ${row.attempts} failed; retrying at ${new Date(nextAttemptAt).toISOString()}. ${e.detail ?? ''}`.trim();
    const updated = await this.deps.tx(async (trx) => {
      if (!(await this.deps.outbox.reschedule(row.id, owner, nextAttemptAt, `${e.code}: ${e.detail ?? e.title}`, trx))) return false;
      const message = row.message_id ? await this.deps.messages.byId(row.message_id, trx) : null;
      if (!message || message.status !== 'queued') return false;
      await this.deps.messages.update(message.id, { error_code: e.code.slice(0, 32), error_title: e.title.slice(0, 255), error_detail: detail }, trx);
      return true;
    });
    if (updated && row.message_id) await this.deps.push.announceStatusById(row.message_id);
  }

  async failed(row: OutboxRow, owner: string, err: unknown, exhausted: boolean): Promise<void> {
    const last = sendErrorOf(err);
    const e: SendError = exhausted
      ? {
          code: 'attempts_exhausted',
          title: LOCAL_ERRORS.attempts_exhausted!.title,
          detail: `Gave up after ${row.attempts} attempts; the last error was ${last.code} (${last.title}).`,
        }
      : last;
    const changed = await this.deps.tx(async (trx) => {
      if (!(await this.deps.outbox.fail(row.id, owner, `${e.code}: ${e.detail ?? e.title}`, trx))) return false;
      if (row.forward_id) await this.deps.forwards.applyStatus(row.forward_id, 'failed', e, trx);
      if (row.owner_message_id) await this.deps.ownerMessages.applyStatus(row.owner_message_id, 'failed', e, trx);
      return row.message_id
        ? this.deps.messages.applyStatus(row.message_id, 'failed', { code: e.code.slice(0, 32), title: e.title.slice(0, 255), detail: e.detail }, trx)
        : false;
    });
    if (row.owner_message_id) this.deps.onOwnerMessageDone();
    if (changed && row.message_id) await this.deps.push.announceStatusById(row.message_id);
  }
}
