import { describe, expect, it } from 'vitest';
import { explainMetaError, metaErrorInfo } from './meta-errors.ts';

describe('the Meta error table', () => {
  it('treats every documented throttling code as a rate limit with a floor for the retry', () => {
    for (const code of [4, 80007, 131048, 131049, 131056]) {
      const info = metaErrorInfo(code)!;
      expect([code, info.kind, info.retryable]).toEqual([code, 'throttle', true]);
      expect(info.minBackoffMs, String(code)).toBeGreaterThan(0);
    }
    expect(metaErrorInfo(131049)!.minBackoffMs).toBeGreaterThanOrEqual(3_600_000);
    expect(metaErrorInfo(130429)!.kind).toBe('throttle');
  });

  it('marks token and permission errors as auth, including the 200–299 range', () => {
    for (const code of [0, 10, 190, 200, 250, 299]) expect(metaErrorInfo(code)?.kind, String(code)).toBe('auth');
    expect(metaErrorInfo(300)).toBeUndefined();
  });

  it('explains every non-retryable code with a fix', () => {
    const codes = [
      3, 33, 100, 368, 130472, 130497, 131005, 131008, 131009, 131021, 131026, 131031, 131037, 131042, 131045, 131047, 131050, 131051, 131052, 131053,
    ];
    for (const code of [
      ...codes,
      132000,
      132001,
      132005,
      132007,
      132012,
      132015,
      132016,
      132018,
      132068,
      133000,
      133005,
      133006,
      133010,
      133015,
      133016,
      135000,
    ]) {
      const info = metaErrorInfo(code);
      expect(info, String(code)).toBeDefined();
      expect(info!.retryable, String(code)).toBe(false);
      expect(info!.fix.length, String(code)).toBeGreaterThan(10);
    }
    for (const code of [1, 2, 131000, 131016, 131057, 133004]) expect(metaErrorInfo(code)?.kind, String(code)).toBe('retry');
  });

  it('answers for codes as strings, local codes and unknown ones', () => {
    expect(explainMetaError('80007').kind).toBe('throttle');
    expect(explainMetaError('network').retryable).toBe(true);
    expect(explainMetaError('999999')).toMatchObject({ title: 'Unknown error', kind: 'permanent', retryable: false });
  });
});
