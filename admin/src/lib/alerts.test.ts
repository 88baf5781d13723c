import { describe, expect, it } from 'vitest';
import { generatedVisitorName } from '@connectdesk/shared/visitor-names';
import { conversation, message } from '../test-fixtures.ts';
import { alertFor } from './alerts.ts';

const ME = 'agent-me';
const inbound = (patch = {}) =>
  message({ direction: 'inbound', sender: 'visitor', text: 'Is anyone there?', created_at: '2026-11-27T10:00:00.000Z', ...patch });

describe('which live messages alert the agent', () => {
  it('a new message in an unassigned or own open conversation does', () => {
    const c = conversation({ created_at: '2026-11-27T09:00:00.000Z' });
    expect(alertFor(inbound(), c, ME)).toEqual({ conversationId: 'c1', title: 'Ana (Website)', body: 'Is anyone there?' });
    expect(alertFor(inbound(), { ...c, assignee_id: ME }, ME)).not.toBeNull();
  });

  it('calls the first message of a conversation a new conversation, named even when anonymous', () => {
    const c = conversation({ created_at: '2026-11-27T09:59:59.000Z', contact: { id: 'k9', name: null, wa_id: null, email: null, phone: null } });
    expect(alertFor(inbound(), c, ME)!.title).toBe(`New conversation: ${generatedVisitorName('k9')}`);
  });

  it("someone else's conversation, our own side, notes, system lines and resolved conversations do not", () => {
    const c = conversation();
    expect(alertFor(inbound(), { ...c, assignee_id: 'someone-else' }, ME)).toBeNull();
    expect(alertFor(inbound({ direction: 'outbound', sender: 'agent' }), c, ME)).toBeNull();
    expect(alertFor(inbound({ is_note: true }), c, ME)).toBeNull();
    expect(alertFor(inbound({ sender: 'system' }), c, ME)).toBeNull();
    expect(alertFor(inbound(), { ...c, status: 'resolved' }, ME)).toBeNull();
  });
});
