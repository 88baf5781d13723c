import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutboxRepo, type OutboxRow } from '../db/repos/outbox-repo.ts';
import { createLogger } from '../logger.ts';
import { GraphApiError, GraphTransportError } from './graph-error.ts';
import { JobDeferred } from '../jobs/job.ts';
import { OutboxWorker, type OutboxHandler } from './outbox-worker.ts';
import { useTempSqlite } from '../../test-support/temp-sqlite.ts';

class RecordingHandler implements OutboxHandler {
  calls = 0;
  readonly outcomes: string[] = [];
  constructor(
    private readonly outbox: OutboxRepo,
    private readonly behaviour: (attempt: number) => string | Error,
  ) {}
  async send(row: OutboxRow): Promise<string | null> {
    this.calls++;
    const r = this.behaviour(row.attempts);
    if (r instanceof Error) throw r;
    return r;
  }
  async succeeded(row: OutboxRow, owner: string, wamid: string | null) {
    await this.outbox.complete(row.id, owner);
    this.outcomes.push(`sent:${wamid}`);
  }
  async retrying(row: OutboxRow, owner: string, _err: unknown, next: number) {
    await this.outbox.reschedule(row.id, owner, next, 'retry');
    this.outcomes.push(`retry:${row.attempts}`);
  }
  async deferred(row: OutboxRow, owner: string, retryAt: number) {
    await this.outbox.defer(row.id, owner, retryAt);
    this.outcomes.push(`deferred:${row.attempts}`);
  }
  async failed(row: OutboxRow, owner: string, err: unknown, exhausted: boolean) {
    await this.outbox.fail(row.id, owner, String(err));
    this.outcomes.push(exhausted ? `exhausted:${row.attempts}` : `failed:${(err as GraphApiError).code}`);
  }
}

describe('OutboxWorker', () => {
  const tmp = useTempSqlite();
  let db: Knex;
  let outbox: OutboxRepo;
  let worker: OutboxWorker | null = null;
  const gateCalls: string[] = [];
  const gate = { take: async (id: string) => void gateCalls.push(id) };
  const logger = createLogger({ level: 'silent' });

  beforeEach(async () => {
    db = tmp.db;
    outbox = new OutboxRepo(db);
    gateCalls.length = 0;
  });
  afterEach(async () => {
    await worker?.stop();
    worker = null;
  });

  const start = (handler: OutboxHandler, maxAttempts = 3) => {
    worker = new OutboxWorker({ outbox, handler, gate, logger, maxAttempts, pollMs: 10, backoff: { baseMs: 1, maxMs: 5, random: () => 0 } });
    worker.start();
    return worker;
  };
  const waitUntil = async (cond: () => boolean) => {
    for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(cond()).toBe(true);
  };

  it('sends as soon as it is woken, through the rate gate', async () => {
    const handler = new RecordingHandler(outbox, () => 'wamid.1');
    const w = start(handler);
    await outbox.enqueue({ kind: 'notice', phoneNumberId: '100', toWaId: '1555', payload: {} });
    w.wake();
    await waitUntil(() => handler.outcomes.length === 1);
    expect(handler.outcomes).toEqual(['sent:wamid.1']);
    expect(gateCalls).toEqual(['100']);
  });

  it('retries temporary failures with backoff, then gives up with attempts exhausted', async () => {
    const handler = new RecordingHandler(outbox, () => new GraphTransportError('http_5xx', 'HTTP 502', { httpStatus: 502 }));
    const row = await outbox.enqueue({ kind: 'notice', phoneNumberId: '100', toWaId: '1555', payload: {} });
    start(handler, 3);
    await waitUntil(() => handler.outcomes.length === 3);
    expect(handler.outcomes).toEqual(['retry:1', 'retry:2', 'exhausted:3']);
    expect((await outbox.byId(row.id))!.status).toBe('failed');
  });

  it('fails a permanent error at once, and recovers from a temporary one', async () => {
    const permanent = new GraphApiError({ httpStatus: 400, code: 131026, type: 'OAuthException', message: 'undeliverable' });
    const handler = new RecordingHandler(outbox, (attempt) => (attempt === 1 ? permanent : 'never'));
    await outbox.enqueue({ kind: 'notice', phoneNumberId: '100', toWaId: '1555', payload: {} });
    start(handler);
    await waitUntil(() => handler.outcomes.length === 1);
    expect(handler.outcomes).toEqual(['failed:131026']);

    const flaky = new RecordingHandler(outbox, (attempt) =>
      attempt === 1 ? new GraphApiError({ httpStatus: 429, code: 130429, type: 'OAuthException', message: 'rate' }) : 'wamid.2',
    );
    await worker!.stop();
    await outbox.enqueue({ kind: 'notice', phoneNumberId: '100', toWaId: '1666', payload: {} });
    start(flaky);
    await waitUntil(() => flaky.outcomes.length === 2);
    expect(flaky.outcomes).toEqual(['retry:1', 'sent:wamid.2']);
  });

  it('puts a deferred send back for later without counting the attempt, and sends it when due', async () => {
    let deferred = false;
    const handler = new RecordingHandler(outbox, (): string | Error => {
      if (deferred) return 'wamid.4';
      deferred = true;
      return new JobDeferred(Date.now() + 60);
    });
    const row = await outbox.enqueue({ kind: 'owner', phoneNumberId: '100', toWaId: '1777', payload: {} });
    start(handler, 1);
    await waitUntil(() => handler.outcomes.length === 2);
    // With one attempt allowed, a deferral that counted would have left nothing to send with.
    expect(handler.outcomes).toEqual(['deferred:1', 'sent:wamid.4']);
    expect(await outbox.byId(row.id)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('stop() waits for sends in flight', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const handler = new RecordingHandler(outbox, () => 'wamid.3');
    const slow: OutboxHandler = {
      ...handler,
      send: async (row) => (await held, handler.send(row)),
      succeeded: handler.succeeded.bind(handler),
      retrying: handler.retrying.bind(handler),
      deferred: handler.deferred.bind(handler),
      failed: handler.failed.bind(handler),
    };
    await outbox.enqueue({ kind: 'notice', phoneNumberId: '100', toWaId: '1555', payload: {} });
    const w = start(slow);
    await waitUntil(() => gateCalls.length === 1);
    const stopped = w.stop();
    release();
    await stopped;
    expect(handler.outcomes).toEqual(['sent:wamid.3']);
  });
});
