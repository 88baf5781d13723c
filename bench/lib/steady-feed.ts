/**
 * An open-loop load: signed deliveries sent at a fixed rate, each on its own schedule whatever
 * the answers to earlier ones (Meta does not wait for us either), noting when each wamid's 200
 * arrived. Bounded by the number of bodies.
 */
import type { SignedBody } from './webhook-bodies.ts';

export interface SteadyResult {
  /** wamid → Date.now() when its 200 arrived. */
  ackedAt: Map<string, number>;
  /** wamid → performance.now() when it was sent (its place in the schedule, not when a slow loop got to it). */
  sentAt: Map<string, number>;
  failed: number;
  /** Why they failed: HTTP status or error code → count. */
  failures: Record<string, number>;
  elapsedMs: number;
}

export async function steadyFeed(opts: { url: string; path: string; bodies: SignedBody[]; perSecond: number }): Promise<SteadyResult> {
  const ackedAt = new Map<string, number>();
  const sentAt = new Map<string, number>();
  let failed = 0;
  const failures: Record<string, number> = {};
  const fail = (why: string) => {
    failed++;
    failures[why] = (failures[why] ?? 0) + 1;
  };
  const t0 = performance.now();
  const send = async (b: SignedBody) => {
    try {
      const res = await fetch(opts.url + opts.path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': b.signature, 'user-agent': 'facebookexternalua' },
        body: b.body,
      });
      await res.arrayBuffer();
      if (res.status === 200) ackedAt.set(b.wamid, Date.now());
      else fail(`HTTP ${res.status}`);
    } catch (err) {
      const e = err as { cause?: { code?: string; message?: string } };
      fail(e.cause?.code ?? e.cause?.message ?? String(err));
    }
  };
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < opts.bodies.length; i++) {
    const due = t0 + (i * 1000) / opts.perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    sentAt.set(opts.bodies[i]!.wamid, due);
    inFlight.push(send(opts.bodies[i]!));
  }
  await Promise.all(inFlight);
  const elapsedMs = performance.now() - t0;
  return { ackedAt, sentAt, failed, failures, elapsedMs };
}
