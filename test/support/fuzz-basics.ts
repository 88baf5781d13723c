/**
 * What the transport fuzz (test/integration/fuzz-transport.test.ts) is built from: a seeded PRNG,
 * the target and case types, and the hostile Cookie and Origin values every generator draws on.
 * Every choice comes from the PRNG, so a seed replays a run exactly.
 */
import type { RawResponse } from './raw-http.ts';

/** mulberry32: small, fast, reproducible. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  return { next, int, pick, bytes, chance: (p: number) => next() < p };
}
export type Rng = ReturnType<typeof prng>;

export interface FuzzTarget {
  port: number;
  /** Every path the server serves, with real-looking parameters. */
  paths: readonly string[];
  /** A signed-in admin's `cd_session=...`. */
  cookie: string;
  origin: string;
  /** A real conversation, for the routes that take one. */
  conversationId: string;
}

export interface FuzzCase {
  label: string;
  run(): Promise<RawResponse[]>;
}

/** A Cookie header: the real session, or one that is malformed, huge or duplicated. */
export function cookieHeader(r: Rng, t: FuzzTarget): string {
  return r.pick([
    t.cookie,
    'cd_session=%E0%A4%A',
    'cd_session=%',
    'cd_session=%zz',
    `${t.cookie}%u0041`,
    'x=%ff; cd_session=%c0',
    `cd_session=${'a'.repeat(6000)}`,
    'cd_session="quoted"; cd_session=second',
    '=;;==;;cd_session',
    Array.from({ length: 300 }, (_, i) => `c${i}=${i}`).join('; '),
    `${t.cookie}; io=x; __proto__=polluted`,
  ]);
}

/** An Origin header: our own, or null, foreign, malformed or huge. */
export function originHeader(r: Rng, t: FuzzTarget): string {
  return r.pick([
    t.origin,
    'null',
    'https://evil.example',
    'http://[::1',
    'file://',
    `${t.origin}.evil.example`,
    `https://${'a'.repeat(3000)}.example`,
    'http://127.0.0.1:1',
    '\u00ff\u00fe',
  ]);
}
