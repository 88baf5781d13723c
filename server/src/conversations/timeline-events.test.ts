import { describe, expect, it } from 'vitest';
import { describeEvent, eventsBetween } from './timeline-events.ts';

const ana = { id: 'u1', name: 'Ana' };
const ben = { id: 'u2', name: 'Ben' };

describe('timeline events', () => {
  it('tells each change once, assignment before status', () => {
    expect(eventsBetween({ status: 'open', assignee_id: null }, { status: 'resolved', assignee_id: 'u2' }, ana, ben)).toEqual([
      { event: 'assigned', by: ana, assignee: ben },
      { event: 'resolved', by: ana, assignee: null },
    ]);
    expect(eventsBetween({ status: 'resolved', assignee_id: 'u2' }, { status: 'open', assignee_id: null }, ben, null).map((e) => e.event)).toEqual([
      'unassigned',
      'reopened',
    ]);
    expect(eventsBetween({ status: 'open', assignee_id: 'u1' }, { status: 'open', assignee_id: 'u1' }, ana, ana)).toEqual([]);
  });

  it('reads as a sentence', () => {
    expect(describeEvent({ event: 'assigned', by: ana, assignee: ben })).toBe('Ana assigned this conversation to Ben');
    expect(describeEvent({ event: 'assigned', by: ana, assignee: ana })).toBe('Ana took this conversation');
    expect(describeEvent({ event: 'unassigned', by: ben, assignee: null })).toBe('Ben unassigned this conversation');
    expect(describeEvent({ event: 'resolved', by: null, assignee: null })).toBe('Someone resolved this conversation');
    expect(describeEvent({ event: 'reopened', by: ana, assignee: null })).toBe('Ana reopened this conversation');
  });
});
