import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { JobDeferred, type Job, type JobHandler, type JobStore, type SettledJob } from './job.ts';
import { JobRunner, type JobRunnerOptions } from './job-runner.ts';

interface TestJob extends Job {
  key: string;
  dueAt: number;
  leaseOwner: string | null;
  leaseUntil: number;
  state: 'pending' | 'done' | 'failed';
}

/** The lease rules of job.ts, in memory. */
class MemoryStore implements JobStore<TestJob> {
  readonly jobs: TestJob[] = [];
  claims: number[] = [];

  add(id: string, key = id): void {
    this.jobs.push({ id, key, attempts: 0, dueAt: 0, leaseOwner: null, leaseUntil: 0, state: 'pending' });
  }

  async claim(owner: string, limit: number, leaseMs: number, now: number): Promise<TestJob[]> {
    const due = this.jobs.filter((j) => j.state === 'pending' && j.dueAt <= now && j.leaseUntil < now).slice(0, limit);
    for (const j of due) Object.assign(j, { leaseOwner: owner, leaseUntil: now + leaseMs, attempts: j.attempts + 1 });
    this.claims.push(due.length);
    return due.map((j) => ({ ...j }));
  }

  async nextDueAt(): Promise<number | null> {
    const pending = this.jobs.filter((j) => j.state === 'pending');
    return pending.length ? Math.min(...pending.map((j) => Math.max(j.dueAt, j.leaseUntil))) : null;
  }

  /** Records an outcome as the handler of a real queue would, only for the lease holder. */
  record({ job, outcome }: SettledJob<TestJob, string>, owner: string): void {
    const row = this.jobs.find((j) => j.id === job.id)!;
    if (row.leaseOwner !== owner) return;
    Object.assign(row, { leaseOwner: null, leaseUntil: 0 });
    if (outcome.status === 'done') row.state = 'done';
    else if (outcome.status === 'failed') row.state = 'failed';
    else if (outcome.status === 'retry') row.dueAt = outcome.at;
    else Object.assign(row, { dueAt: outcome.at, attempts: row.attempts - 1 });
  }
}

const waitUntil = async (cond: () => boolean) => {
  for (let i = 0; i < 300 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
};

describe('JobRunner', () => {
  let runner: JobRunner<TestJob, string> | null = null;
  afterEach(async () => {
    await runner?.stop();
    runner = null;
  });

  const start = (
    store: MemoryStore,
    perform: (job: TestJob) => Promise<string>,
    log: string[],
    options: Partial<JobRunnerOptions<TestJob, string>> = {},
  ): JobRunner<TestJob, string> => {
    const handler: JobHandler<TestJob, string> = {
      perform,
      record: async (settled, owner) => {
        log.push(
          settled.map(({ job, outcome }) => `${job.id}:${outcome.status}${outcome.status === 'failed' && outcome.exhausted ? ':exhausted' : ''}`).join(','),
        );
        for (const s of settled) store.record(s, owner);
      },
    };
    runner = new JobRunner({
      name: 'test',
      store,
      handler,
      retry: { maxAttempts: 3, isRetryable: (err) => !(err instanceof TypeError), delayMs: () => 5 },
      logger: createLogger({ level: 'silent' }),
      concurrency: 4,
      leaseMs: 60_000,
      pollMs: 20,
      ...options,
    });
    runner.start();
    return runner;
  };

  it('retries a temporary failure after its delay until the attempts run out, and fails a permanent one at once', async () => {
    const store = new MemoryStore();
    store.add('flaky');
    store.add('broken');
    const log: string[] = [];
    start(
      store,
      async (job) => {
        if (job.id === 'broken') throw new TypeError('cannot ever work');
        throw new Error('try later');
      },
      log,
    );
    await waitUntil(() => store.jobs.every((j) => j.state !== 'pending'));
    expect(log.filter((l) => l.startsWith('flaky'))).toEqual(['flaky:retry', 'flaky:retry', 'flaky:failed:exhausted']);
    expect(log.filter((l) => l.startsWith('broken'))).toEqual(['broken:failed']);
    expect(store.jobs.find((j) => j.id === 'flaky')!.attempts).toBe(3);
  });

  it('puts a deferred job back without counting the attempt', async () => {
    const store = new MemoryStore();
    store.add('owner-message');
    const log: string[] = [];
    let deferred = false;
    start(
      store,
      async () => {
        if (deferred) return 'ok';
        deferred = true;
        throw new JobDeferred(Date.now() + 30);
      },
      log,
      { retry: { maxAttempts: 1, isRetryable: () => true, delayMs: () => 5 } },
    );
    await waitUntil(() => store.jobs[0]!.state === 'done');
    expect(log).toEqual(['owner-message:deferred', 'owner-message:done']);
    expect(store.jobs[0]!.attempts).toBe(1);
  });

  it('runs jobs of one ordering key one after another in claim order, others side by side, and records a batch together', async () => {
    const store = new MemoryStore();
    for (const [id, key] of [
      ['a1', 'a'],
      ['b1', 'b'],
      ['a2', 'a'],
      ['a3', 'a'],
    ])
      store.add(id!, key);
    const started: string[] = [];
    const running = new Set<string>();
    let sideBySide = false;
    const log: string[] = [];
    start(
      store,
      async (job) => {
        started.push(job.id);
        for (const other of running) if (store.jobs.find((j) => j.id === other)!.key === job.key) throw new Error('overlap in one key');
        running.add(job.id);
        if (running.size > 1) sideBySide = true;
        await new Promise((r) => setTimeout(r, 10));
        running.delete(job.id);
        return 'ok';
      },
      log,
      { orderingKey: (job) => job.key, oneBatchAtATime: true, recordTogether: true },
    );
    await waitUntil(() => store.jobs.every((j) => j.state === 'done'));
    expect(started.filter((id) => id.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    expect(sideBySide).toBe(true);
    expect(log).toEqual(['a1:done,b1:done,a2:done,a3:done']);
  });

  it('claims no more than its concurrency, and claims the rest as jobs finish', async () => {
    const store = new MemoryStore();
    for (let i = 0; i < 5; i++) store.add(`j${i}`);
    let inFlight = 0;
    let most = 0;
    start(
      store,
      async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 10));
        inFlight--;
        return 'ok';
      },
      [],
      { concurrency: 2 },
    );
    await waitUntil(() => store.jobs.every((j) => j.state === 'done'));
    expect(most).toBe(2);
    expect(Math.max(...store.claims)).toBe(2);
  });

  it('stop() claims nothing more and waits for the jobs in flight to record their outcome', async () => {
    const store = new MemoryStore();
    store.add('slow');
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let performing = false;
    const log: string[] = [];
    const r = start(
      store,
      async () => {
        performing = true;
        await held;
        return 'ok';
      },
      log,
    );
    await waitUntil(() => performing);
    const stopped = r.stop();
    store.add('later');
    release();
    await stopped;
    expect(log).toEqual(['slow:done']);
    expect(store.jobs.find((j) => j.id === 'later')!.state).toBe('pending');
  });
  it('keeps looking when the store is unreachable for a while', async () => {
    const store = new MemoryStore();
    store.add('late');
    let down = 2;
    const claim = store.claim.bind(store);
    const nextDueAt = store.nextDueAt.bind(store);
    store.claim = async (...args) => (down > 0 ? Promise.reject(new Error('database is down')) : claim(...args));
    store.nextDueAt = async () => (down-- > 0 ? Promise.reject(new Error('database is down')) : nextDueAt());
    start(store, async () => 'ok', []);
    await waitUntil(() => store.jobs[0]!.state === 'done');
  });
});
