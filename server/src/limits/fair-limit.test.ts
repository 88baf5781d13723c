import { describe, expect, it } from 'vitest';
import { FairLimit } from './fair-limit.ts';
import { memoryLimiters } from './limiter-factory.ts';

const settings = { perAddress: 10, perIdentity: 8, fairShare: 3, overflow: 6, windowSeconds: 60 };

describe('FairLimit', () => {
  it('anonymous hits have only the address budget', async () => {
    const limit = new FairLimit('t', settings, memoryLimiters());
    const verdicts = [];
    for (let i = 0; i < 12; i++) verdicts.push(await limit.take('1.2.3.4', null));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(10);
    expect(verdicts.at(-1)).toEqual({ allowed: false, scope: 'address', retryAfterSeconds: expect.any(Number) });
    // Another address is not affected.
    expect((await limit.take('5.6.7.8', null)).allowed).toBe(true);
  });

  it('an identity within its fair share gets through a spent address; a heavy one does not', async () => {
    const limit = new FairLimit('t', settings, memoryLimiters());
    for (let i = 0; i < 4; i++) expect((await limit.take('1.2.3.4', 'heavy')).allowed).toBe(true);
    for (let i = 0; i < 10; i++) await limit.take('1.2.3.4', null);
    // "heavy" has used 4 > fair share 3: refused for the address.
    expect(await limit.take('1.2.3.4', 'heavy')).toMatchObject({ allowed: false, scope: 'address' });
    // A quiet identity still gets its share...
    for (let i = 0; i < 3; i++) expect((await limit.take('1.2.3.4', 'quiet')).allowed).toBe(true);
    // ...and not more.
    expect((await limit.take('1.2.3.4', 'quiet')).allowed).toBe(false);
  });

  it('the overflow bounds what fair shares add to a spent address', async () => {
    const limit = new FairLimit('t', settings, memoryLimiters());
    for (let i = 0; i < 10; i++) await limit.take('1.2.3.4', null);
    const verdicts = [];
    for (let i = 0; i < 10; i++) verdicts.push(await limit.take('1.2.3.4', `visitor-${i}`));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(6);
  });

  it('an identity over its own limit is refused for itself, without spending the address', async () => {
    const limit = new FairLimit('t', { ...settings, perAddress: 100 }, memoryLimiters());
    for (let i = 0; i < 8; i++) expect((await limit.take('1.2.3.4', 'v')).allowed).toBe(true);
    expect(await limit.take('1.2.3.4', 'v')).toMatchObject({ allowed: false, scope: 'identity' });
    const verdicts = [];
    for (let i = 0; i < 92; i++) verdicts.push(await limit.take('1.2.3.4', null));
    expect(verdicts.every((v) => v.allowed)).toBe(true);
  });
});
