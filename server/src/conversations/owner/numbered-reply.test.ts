import { describe, expect, it } from 'vitest';
import { parseCommand, parseDuration, parseNumbered } from './numbered-reply.ts';

const lines = (...n: number[]) => new Set(n);

describe('numbered replies', () => {
  it('split "2 yes, 4 left" into one answer per line', () => {
    expect(parseNumbered('2 yes, 4 left', lines(1, 2, 3, 4))).toEqual([
      { n: 2, text: 'yes' },
      { n: 4, text: 'left' },
    ]);
    expect(parseNumbered('1) Yes we do\n3: closed on Sunday; #2 - tomorrow', lines(1, 2, 3))).toEqual([
      { n: 1, text: 'Yes we do' },
      { n: 3, text: 'closed on Sunday' },
      { n: 2, text: 'tomorrow' },
    ]);
  });

  it('count a number only after a separator and only if that line exists', () => {
    expect(parseNumbered('1 yes, we have 3 left', lines(1, 2, 3))).toEqual([{ n: 1, text: 'yes, we have 3 left' }]);
    expect(parseNumbered('1 yes, 7 more sizes', lines(1, 2, 3))).toEqual([{ n: 1, text: 'yes, 7 more sizes' }]);
    expect(parseNumbered('2 for 1 deal today', lines(1))).toBeNull();
  });

  it('need a number first, and something to say', () => {
    expect(parseNumbered('yes, 2 left', lines(1, 2))).toBeNull();
    expect(parseNumbered('2', lines(1, 2))).toBeNull();
    expect(parseNumbered('2 ', lines(1, 2))).toBeNull();
    expect(parseNumbered('', lines(1))).toBeNull();
  });
});

describe('commands', () => {
  it('are #list, #mute <duration>, #unmute and #help, in any case', () => {
    expect(parseCommand('#list')).toEqual({ kind: 'list' });
    expect(parseCommand('  #LIST please')).toEqual({ kind: 'list' });
    expect(parseCommand('#mute 1h')).toEqual({ kind: 'mute', ms: 3_600_000 });
    expect(parseCommand('#mute')).toEqual({ kind: 'mute', ms: 3_600_000 });
    expect(parseCommand('#mute 30m')).toEqual({ kind: 'mute', ms: 1_800_000 });
    expect(parseCommand('#mute forever')).toEqual({ kind: 'mute', ms: null });
    expect(parseCommand('#unmute')).toEqual({ kind: 'unmute' });
    expect(parseCommand('#help')).toEqual({ kind: 'help' });
    expect(parseCommand('#dance')).toEqual({ kind: 'unknown', word: 'dance' });
  });

  it('are not plain text or a line number', () => {
    expect(parseCommand('list')).toBeNull();
    expect(parseCommand('#2 yes')).toBeNull();
    expect(parseCommand('see #list')).toBeNull();
  });

  it('mute durations: minutes, hours, days, at most a week', () => {
    expect(parseDuration('90 min')).toBe(90 * 60_000);
    expect(parseDuration('2 hours')).toBe(2 * 3_600_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('15')).toBe(15 * 60_000);
    expect(parseDuration('8d')).toBeNull();
    expect(parseDuration('0h')).toBeNull();
    expect(parseDuration('soon')).toBeNull();
  });
});
