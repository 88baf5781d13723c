import { describe, expect, it } from 'vitest';
import { MAX_TEXT } from '@connectdesk/shared';
import { digestTemplate, digestText, forwardTemplate, forwardText, listText, newestThatFit, visitorLabel, type WaitingGroup } from './compose.ts';

const group = (name: string, bodies: string[], id = `01HCONV${name.toUpperCase().padEnd(19, '0')}`): WaitingGroup => ({
  conversationId: id,
  name,
  site: 'example.com',
  messages: bodies.map((body, i) => ({ id: `${id}-m${i}`, body })),
});

/** What Meta refuses in a template parameter (132018). */
const BREAKS_TEMPLATE_RULES = /[\n\t]| {5,}/;

describe('forwards', () => {
  it('one message reads as before; several are merged, newest last', () => {
    expect(forwardText(group('Ana', ['Do you ship to Lisbon?'])).text).toBe(
      'New message from Ana on example.com: Do you ship to Lisbon? — reply to this message to answer.',
    );
    const merged = forwardText(group('Ana', ['hi', 'do you ship', 'to Lisbon?']));
    expect(merged.text).toBe('3 new messages from Ana on example.com:\n• hi\n• do you ship\n• to Lisbon?\n— reply to this message to answer.');
    expect(merged.lines).toEqual([
      { n: null, conversation_id: expect.any(String), message_id: expect.stringMatching(/-m2$/), name: 'Ana', site: 'example.com', messages: 3 },
    ]);
  });

  it('stay within 4,096 characters: the oldest give way to "… +N more in the inbox"', () => {
    const bodies = Array.from({ length: 9 }, (_, i) => `${'x'.repeat(1200)} message ${i}`);
    const { text } = forwardText(group('Ana', bodies));
    expect(text.length).toBeLessThanOrEqual(MAX_TEXT);
    expect(text).toMatch(/\n… \+\d+ more in the inbox\n/);
    expect(text).toContain('message 8\n— reply'); // the newest is there, last
    const shown = (text.match(/message \d/g) ?? []).length;
    expect(Number(/\+(\d+) more/.exec(text)![1]) + shown).toBe(9);
  });

  it('as a template: three one-line parameters, newest last, the text as the phone renders it', () => {
    const t = forwardTemplate(group('Ana', ['Hello\nthere', 'tab\there', 'many      spaces']));
    expect(t.parameters).toEqual(['Ana', 'example.com', 'Hello there · tab here · many spaces']);
    for (const p of t.parameters) expect(p).not.toMatch(BREAKS_TEMPLATE_RULES);
    expect(t.text).toBe('New message from Ana on example.com: Hello there · tab here · many spaces — reply to this message to answer.');
    const long = forwardTemplate(
      group(
        'Ana',
        Array.from({ length: 30 }, (_, i) => `question number ${i} about the order`),
      ),
    );
    expect(long.parameters[2]!.length).toBeLessThanOrEqual(700);
    expect(long.parameters[2]).toMatch(/^… \+\d+ more in the inbox · .*question number 29 about the order$/);
  });
});

describe('digests', () => {
  it('number one line per conversation, with the newest message and how many more', () => {
    const d = digestText([group('Ana', ['do you ship to Lisbon?']), group('Bruno', ['hello', 'is it open\non Sunday?'])]);
    expect(d.text).toBe(
      [
        '2 conversations are waiting:',
        '1) Ana (example.com): do you ship to Lisbon?',
        '2) Bruno (example.com): is it open on Sunday? (+1 more)',
        'Reply with the line number first, like “1 yes” or “1 yes, 2 no”.',
      ].join('\n'),
    );
    expect(d.lines.map((l) => [l.n, l.name, l.messages])).toEqual([
      [1, 'Ana', 1],
      [2, 'Bruno', 2],
    ]);
  });

  it('carry every waiting conversation within 4,096 characters, numbering those that fit', () => {
    const groups = Array.from({ length: 400 }, (_, i) => group(`Visitor${i}`, [`${'long question '.repeat(30)}${i}`], `01HCONV${String(i).padStart(19, '0')}`));
    const d = digestText(groups);
    expect(d.text.length).toBeLessThanOrEqual(MAX_TEXT);
    expect(d.lines).toHaveLength(400);
    const numbered = d.lines.filter((l) => l.n !== null);
    expect(numbered.length).toBeGreaterThan(20);
    expect(numbered.map((l) => l.n)).toEqual(numbered.map((_, i) => i + 1));
    expect(d.text).toContain(`… +${400 - numbered.length} more conversations in the inbox`);
  });

  it('as connectdesk_digest: one-line parameters within Meta’s limits', () => {
    const groups = Array.from({ length: 12 }, (_, i) => group(`V${i}`, [`line one\nline two ${i}`], `01HCONV${String(i).padStart(19, '0')}`));
    const t = digestTemplate(groups, 'Shop');
    expect(t.parameters[0]).toBe('12');
    expect(t.parameters[1]).toBe('Shop');
    for (const p of t.parameters) expect(p).not.toMatch(BREAKS_TEMPLATE_RULES);
    expect(t.parameters[2]!.length).toBeLessThanOrEqual(720);
    expect(t.parameters[2]).toMatch(/^1\) V0 \(example\.com\): line one line two 0 · 2\) V1/);
    expect(t.text.length).toBeLessThanOrEqual(1024);
    expect(t.lines).toHaveLength(12);
  });
});

describe('texts', () => {
  it('#list numbers the waiting conversations with how long each waited', () => {
    const l = listText([group('Ana', ['hi']), group('Bruno', ['yo'])], (id) => (id.includes('ANA') ? '5 min ago' : 'just now'));
    expect(l.text.split('\n').slice(0, 3)).toEqual([
      '2 conversations are waiting for an answer:',
      '1) Ana (example.com): hi · 5 min ago',
      '2) Bruno (example.com): yo · just now',
    ]);
    expect(listText([], () => '').text).toBe('No conversation is waiting for an answer.');
  });

  it('unnamed visitors get a short tag from their conversation', () => {
    expect(visitorLabel(null, '01HCONVERSATIONXYZ0000K7Q2')).toBe('Visitor K7Q2');
    expect(visitorLabel('  Ana ', 'x')).toBe('Ana');
  });

  it('newestThatFit keeps whole parts, newest last', () => {
    expect(newestThatFit(['a', 'b', 'c'], 100, ' · ')).toBe('a · b · c');
    expect(newestThatFit(['aaaa', 'bbbb', 'cccc'], 30, ' · ')).toBe('… +2 more in the inbox · cccc');
    expect(newestThatFit(['a'.repeat(40), 'bbbb', 'cccc'], 40, ' · ')).toBe('… +1 more in the inbox · bbbb · cccc');
  });
});
