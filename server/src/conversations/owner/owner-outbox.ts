/**
 * Messages to the owner's phone go out through the durable outbox: the `owner_messages` row, the
 * waiting visitor messages it carries (marked in the same transaction) and its outbox row are
 * written together, so after a crash either all of it will be sent once, or nothing was taken.
 */
import type { OwnerMessageKind, SendMessage } from '@connectdesk/shared';
import type { TxRunner } from '../../db/group-commit.ts';
import type { OwnerMessageRow, OwnerMessagesRepo, StoredLine } from '../../db/repos/owner-messages-repo.ts';
import type { OwnerKey, OwnerQueueRepo } from '../../db/repos/owner-queue-repo.ts';
import type { OutboxRepo } from '../../db/repos/outbox-repo.ts';

export interface OwnerSend {
  kind: OwnerMessageKind;
  viaTemplate: boolean;
  /** What the phone will show. */
  body: string;
  lines: StoredLine[];
  payload: SendMessage;
  /** The owner's message this answers. */
  inReplyTo?: string;
  /** Waiting queue rows this message carries. */
  carries?: string[];
}

export interface OwnerOutboxDeps {
  tx: TxRunner;
  ownerMessages: OwnerMessagesRepo;
  queue: OwnerQueueRepo;
  outbox: OutboxRepo;
  /** Wake the outbox worker. */
  wake: () => void;
}

/** Thrown inside the transaction when another node carried some of the same rows first. */
const TAKEN = new Error('taken'); // thrown to roll back, recognised by identity

export class OwnerOutbox {
  constructor(private readonly deps: OwnerOutboxDeps) {}

  /** Queue these messages in one transaction; null when rows they carry were taken meanwhile (nothing written). */
  async queue(key: OwnerKey, sends: OwnerSend[], at = Date.now()): Promise<OwnerMessageRow[] | null> {
    const rows = await this.deps
      .tx(async (trx) => {
        const out: OwnerMessageRow[] = [];
        for (const s of sends) {
          const row = await this.deps.ownerMessages.create(
            { ...key, kind: s.kind, viaTemplate: s.viaTemplate, body: s.body, lines: s.lines, inReplyTo: s.inReplyTo, at },
            trx,
          );
          if (s.carries?.length && !(await this.deps.queue.carry(s.carries, row.id, trx))) throw TAKEN;
          await this.deps.outbox.enqueue(
            { kind: 'owner', ownerMessageId: row.id, phoneNumberId: key.phoneNumberId, toWaId: key.ownerWaId, payload: s.payload },
            trx,
          );
          out.push(row);
        }
        return out;
      })
      .catch((err: unknown) => {
        if (err === TAKEN) return null;
        throw err;
      });
    if (rows) this.deps.wake();
    return rows;
  }
}
