import { describe, expect, it } from 'vitest';
import { message } from '../test-fixtures.ts';
import { applyStatus, canMoveTo, findQuoted, mergeMessages, upsertMessage } from './thread-state.ts';

describe('thread rules', () => {
  it('keeps messages oldest first and deduplicates by id', () => {
    const a = message({ id: 'a', created_at: '2026-11-27T10:00:00Z' });
    const b = message({ id: 'b', created_at: '2026-11-27T10:01:00Z' });
    const list = mergeMessages([], [b, a, b]);
    expect(list.map((m) => m.id)).toEqual(['a', 'b']);
  });

  it('statuses only move forward; failed always shows; a retry moves a failed message on', () => {
    expect(canMoveTo('sent', 'delivered')).toBe(true);
    expect(canMoveTo('read', 'delivered')).toBe(false);
    expect(canMoveTo('delivered', 'delivered')).toBe(false);
    expect(canMoveTo('read', 'failed')).toBe(true);
    expect(canMoveTo('failed', 'queued')).toBe(true);

    let list = [message({ id: 'x', direction: 'outbound', status: 'queued' })];
    list = applyStatus(list, { id: 'x', status: 'read', error: null });
    list = applyStatus(list, { id: 'x', status: 'delivered', error: null });
    expect(list[0]!.status).toBe('read');
    const err = { code: '131047', title: 'Re-engagement message', detail: null, explanation: 'window', fix: 'template' };
    list = applyStatus(list, { id: 'x', status: 'failed', error: err });
    expect(list[0]).toMatchObject({ status: 'failed', error: err });
    list = applyStatus(list, { id: 'x', status: 'queued', error: null });
    expect(list[0]).toMatchObject({ status: 'queued', error: null });
    expect(applyStatus(list, { id: 'unknown', status: 'read', error: null })).toBe(list);
  });

  it('a stale copy of a message does not move its status back, not even from failed', () => {
    const list = [message({ id: 'x', status: 'delivered' })];
    expect(upsertMessage(list, message({ id: 'x', status: 'queued', text: 'edited' }))[0]).toMatchObject({ status: 'delivered', text: 'edited' });
    const error = { code: '131047', title: 't', detail: null };
    const failed = [message({ id: 'x', status: 'failed', error })];
    expect(upsertMessage(failed, message({ id: 'x', status: 'queued' }))[0]).toMatchObject({ status: 'failed', error });
  });

  it('finds the quoted message by id or wamid', () => {
    const list = [message({ id: 'a', wamid: 'wamid.A' }), message({ id: 'b' })];
    expect(findQuoted(list, { message_id: null, wamid: 'wamid.A' })?.id).toBe('a');
    expect(findQuoted(list, { message_id: 'b', wamid: null })?.id).toBe('b');
    expect(findQuoted(list, { message_id: 'zzz', wamid: null })).toBeNull();
    expect(findQuoted(list, null)).toBeNull();
  });
});
