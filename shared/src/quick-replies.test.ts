import { describe, expect, it } from 'vitest';
import { InteractiveSendSchema } from './contract/quick-replies.ts';
import { interactiveObject, interactiveReplyOf, offeredOption, quickReplyOffer } from './quick-replies.ts';

describe('quick replies', () => {
  it("turns buttons into Meta's reply buttons and reads their options back", () => {
    const interactive = interactiveObject({ kind: 'buttons', body: 'Solved?', buttons: [{ id: 'y', title: 'Yes' }] });
    expect(interactive).toEqual({ type: 'button', body: { text: 'Solved?' }, action: { buttons: [{ type: 'reply', reply: { id: 'y', title: 'Yes' } }] } });
    const offer = quickReplyOffer({ interactive })!;
    expect(offer).toMatchObject({ kind: 'buttons', body: 'Solved?' });
    expect(offeredOption(offer, 'y')).toEqual({ id: 'y', title: 'Yes' });
    expect(offeredOption(offer, 'n')).toBeNull();
  });

  it("turns a list into Meta's list, keeping section titles and descriptions", () => {
    const interactive = interactiveObject({
      kind: 'list',
      body: 'Pick',
      button: 'Options',
      sections: [{ title: 'Fast', rows: [{ id: 'e', title: 'Express', description: 'Next day' }] }],
    });
    expect(interactive).toEqual({
      type: 'list',
      body: { text: 'Pick' },
      action: { button: 'Options', sections: [{ title: 'Fast', rows: [{ id: 'e', title: 'Express', description: 'Next day' }] }] },
    });
    expect(offeredOption(quickReplyOffer({ interactive })!, 'e')).toEqual({ id: 'e', title: 'Express', description: 'Next day' });
  });

  it('finds the choice in button_reply, list_reply and a template button, and nothing elsewhere', () => {
    expect(interactiveReplyOf('interactive', { interactive: { type: 'button_reply', button_reply: { id: 'y', title: 'Yes' } } })).toEqual({
      id: 'y',
      title: 'Yes',
    });
    expect(interactiveReplyOf('interactive', { interactive: { type: 'list_reply', list_reply: { id: 'e', title: 'Express', description: 'x' } } })).toEqual({
      id: 'e',
      title: 'Express',
    });
    expect(interactiveReplyOf('button', { button: { payload: 'STOP', text: 'Stop' } })).toEqual({ id: 'STOP', title: 'Stop' });
    expect(interactiveReplyOf('interactive', { interactive: { type: 'nfm_reply', nfm_reply: {} } })).toBeNull();
    expect(interactiveReplyOf('text', { text: { body: 'hi' } })).toBeNull();
    expect(quickReplyOffer({ text: { body: 'hi' } })).toBeNull();
  });

  it('counts characters, not UTF-16 units: 20 emoji make a valid button title, 21 do not', () => {
    const buttons = (title: string) => ({ kind: 'buttons', body: 'Rate', buttons: [{ id: 'a', title }] });
    expect(InteractiveSendSchema.safeParse(buttons('😀'.repeat(20))).success).toBe(true);
    expect(InteractiveSendSchema.safeParse(buttons('😀'.repeat(21))).success).toBe(false);
  });
});
