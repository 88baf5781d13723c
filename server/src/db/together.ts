/**
 * Statements of one transaction that do not depend on each other, sent to the connection at once:
 * the caller waits for the connection once instead of once per statement (on SQLite each statement
 * is a trip to the thread pool and back through the event loop; the connection is the one every
 * transaction queues for, so fewer waits per job is more jobs a second). Each statement still runs
 * whole and alone — the driver serializes them on the connection — in an order that is not
 * promised, so use it only for statements whose order does not matter.
 *
 * Unlike `Promise.all`, it settles only when every statement has: a caller that rolls back on an
 * error must not do so while a sibling statement is still running.
 */
export async function together<T extends readonly unknown[]>(...work: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(work);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
