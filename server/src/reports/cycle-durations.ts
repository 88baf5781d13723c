/**
 * Fills conversation_cycles' first_response_ms and resolution_ms: the time from opening to first
 * reply and to resolution, counting only business hours when they are set. Triggers mark a cycle
 * `durations_pending` when its times change; reports call fill() first, so the percentiles they
 * read are complete. Business hours are a TypeScript calculation (time zones, overnight
 * openings), so pending cycles are read in batches — only those, a few per conversation answered
 * since the last report. When the business hours change, every cycle is counted again.
 */
import type { Knex } from 'knex';
import { isTimeZone, type BusinessHours } from '@connectdesk/shared';
import { ms } from '../db/json.ts';
import { businessMs } from './business-time.ts';

const BATCH = 500;

interface PendingRow {
  id: number;
  opened_at: unknown;
  first_response_at: unknown;
  resolved_at: unknown;
}

export interface CycleDurationsDeps {
  db: Knex;
  /** The business hours in force (Settings → Widget). */
  businessHours(): Promise<BusinessHours>;
  /** What the stored durations were counted with; a change counts them all again. */
  basis: { get(): Promise<string | null>; set(value: string): Promise<void> };
}

export class CycleDurations {
  private running: Promise<void> | null = null;

  constructor(private readonly deps: CycleDurationsDeps) {}

  /** Fill every pending cycle (one run at a time; callers during a run wait for it). */
  fill(): Promise<void> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<void> {
    const { db } = this.deps;
    const raw = await this.deps.businessHours();
    const hours: BusinessHours = isTimeZone(raw.timezone) ? raw : { ...raw, timezone: 'UTC' };
    const basis = hours.enabled ? JSON.stringify({ timezone: hours.timezone, days: hours.days }) : 'wall-clock';
    if ((await this.deps.basis.get()) !== basis) {
      await db('conversation_cycles')
        .where((w) => w.whereNotNull('first_response_at').orWhereNotNull('resolved_at'))
        .update({ durations_pending: true });
      await this.deps.basis.set(basis);
    }
    if (!hours.enabled) {
      await db('conversation_cycles')
        .where('durations_pending', true)
        .update({
          first_response_ms: db.raw('first_response_at - opened_at'),
          resolution_ms: db.raw('resolved_at - opened_at'),
          durations_pending: false,
        });
      return;
    }
    const attempted = new Set<number>();
    for (;;) {
      const rows = (await db('conversation_cycles')
        .where('durations_pending', true)
        .orderBy('id')
        .limit(BATCH)
        .select('id', 'opened_at', 'first_response_at', 'resolved_at')) as PendingRow[];
      // Done — or only rows that changed under us are left: the next fill takes them.
      if (rows.every((r) => attempted.has(r.id))) return;
      for (const r of rows) attempted.add(r.id);
      await db.transaction(async (trx) => {
        for (const r of rows) {
          const opened = ms(r.opened_at)!;
          const responded = ms(r.first_response_at);
          const resolved = ms(r.resolved_at);
          // Only if the cycle is still as read: a trigger that changed it since left it pending again.
          await trx('conversation_cycles')
            .where('id', r.id)
            .andWhere((w) => (responded === null ? w.whereNull('first_response_at') : w.where('first_response_at', responded)))
            .andWhere((w) => (resolved === null ? w.whereNull('resolved_at') : w.where('resolved_at', resolved)))
            .update({
              first_response_ms: responded === null ? null : businessMs(hours, opened, responded),
              resolution_ms: resolved === null ? null : businessMs(hours, opened, resolved),
              durations_pending: false,
            });
        }
      });
    }
  }
}
