import { describe, expect, it } from 'vitest';
import type { WebhookEventsRepo } from '../db/repos/webhook-events-repo.ts';
import type { NewWebhookEvent } from '../db/webhook-event-writer.ts';
import { WebhookInbox } from './webhook-inbox.ts';

/** A repository whose writes finish when the test says so. */
function slowRepo() {
  const writes: { events: NewWebhookEvent[]; finish: () => void }[] = [];
  const repo = {
    insertBatch: (events: NewWebhookEvent[]) =>
      new Promise<Map<string, string>>((resolve) => writes.push({ events, finish: () => resolve(new Map(events.map((e, i) => [e.dedupeKey, `id${i}`]))) })),
  } as unknown as WebhookEventsRepo;
  return { repo, writes };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('WebhookInbox', () => {
  it('writes what arrives during a write as the next batch, and is busy until both are stored', async () => {
    const { repo, writes } = slowRepo();
    let stored = 0;
    const inbox = new WebhookInbox({ events: repo, onStored: () => stored++ });
    expect(inbox.busy()).toBe(false);

    const first = inbox.accept(Buffer.from('{"a":1}'));
    const rest = [inbox.accept(Buffer.from('{"b":2}')), inbox.accept(Buffer.from('{"b":2}')), inbox.accept(Buffer.from('{"c":3}'))];
    await tick();
    expect(writes.map((w) => w.events.length)).toEqual([1]);
    expect(inbox.busy()).toBe(true);

    expect(stored).toBe(0);
    writes[0]!.finish();
    await tick();
    // The three that waited go together; the repeated body is written once.
    expect(writes.map((w) => w.events.length)).toEqual([1, 2]);
    expect(await first).toEqual({ stored: true });
    // The processor hears of the first batch while the second is still being written: a stream of
    // deliveries that never pauses does not keep them from being applied.
    expect(stored).toBe(1);

    writes[1]!.finish();
    expect(await Promise.all(rest)).toEqual([{ stored: true }, { stored: false }, { stored: true }]);
    expect(inbox.busy()).toBe(false);
    expect(stored).toBe(2);
  });

  it('does not wake the processor for a batch of duplicates only', async () => {
    const { repo, writes } = slowRepo();
    let stored = 0;
    const inbox = new WebhookInbox({ events: repo, onStored: () => stored++ });
    const first = inbox.accept(Buffer.from('{"a":1}'));
    await tick();
    writes[0]!.events.length = 0; // the write finds the body stored already: nothing inserted
    writes[0]!.finish();
    expect(await first).toEqual({ stored: false });
    expect(stored).toBe(0);
  });
});
