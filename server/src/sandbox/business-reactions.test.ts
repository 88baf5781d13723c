import { describe, expect, it } from 'vitest';
import { applyBusinessReaction } from './business-reactions.ts';
import { SandboxState } from './state.ts';

function chat() {
  const state = new SandboxState(() => Date.now());
  state.recordInbound('351910000001', { wamid: 'wamid.FROM_PHONE', type: 'text', timestamp: new Date().toISOString(), read_by_business: false });
  state.recordInbound('351910000002', { wamid: 'wamid.OTHER_PHONE', type: 'text', timestamp: new Date().toISOString(), read_by_business: false });
  return state;
}

describe('applyBusinessReaction', () => {
  it("shows the emoji on the phone's message and takes it back with an empty one", () => {
    const state = chat();
    expect(applyBusinessReaction(state, '351910000001', { reaction: { message_id: 'wamid.FROM_PHONE', emoji: '👍' } })).toBeNull();
    expect(state.phones.get('351910000001')!.sent[0]!.business_reaction).toBe('👍');
    expect(applyBusinessReaction(state, '351910000001', { reaction: { message_id: 'wamid.FROM_PHONE', emoji: '' } })).toBeNull();
    expect(state.phones.get('351910000001')!.sent[0]!.business_reaction).toBeUndefined();
  });

  it('fails with 131009 for a message of another chat or an unknown one, and marks nothing', () => {
    const state = chat();
    for (const id of ['wamid.OTHER_PHONE', 'wamid.NOPE']) {
      const outcome = applyBusinessReaction(state, '351910000001', { reaction: { message_id: id, emoji: '👍' } });
      expect(outcome).toMatchObject({ kind: 'fail', error: { code: 131009 } });
    }
    expect(state.phones.get('351910000002')!.sent[0]!.business_reaction).toBeUndefined();
  });
});
