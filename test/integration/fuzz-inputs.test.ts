/**
 * Fuzzing every door from outside: mutated pywa webhook bodies (fields deleted, types changed,
 * huge strings, deep nesting, broken JSON, non-UTF-8 bytes; signed, unsigned and forged) at
 * POST /api/whatsapp/webhook, random and mutated bodies at POST /api/messages, and random payloads
 * at every socket event (/visitor: message:send, typing, read, identify, history; /admin: typing).
 * Bounded (a few hundred cases) and seeded: the seed is printed, and FUZZ_SEED=<n> replays a run.
 *
 * Checked: /healthz stays 200 throughout, nothing is rejected unhandled, no answer is a 5xx or an
 * `internal` ack, and — read from the SQLite file after the server stopped — exactly what was
 * accepted is stored: the webhook_events are exactly the signed deliveries answered 200, no
 * unsigned byte got in, every stored WhatsApp message comes from a message object that passes the
 * shared schema, and the web messages and visitors are exactly those acknowledged.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChangeValueSchema,
  InboundMessageSchema,
  UserPreferencesValueSchema,
  VisitorMessageBodySchema,
  WebhookBodySchema,
  normalizeWaId,
} from '@connectdesk/shared';
import { APP_SECRET, PYWA_DIR, pywaBodies, withDatabase } from '../support/process.ts';
import { startTestServer, tempDir, type TestServer } from '../support/server.ts';
import { signWebhookBody } from '../../server/src/whatsapp/webhook-signature.ts';

// A fixed default seed keeps CI reproducible; FUZZ_SEED=random (or a number) explores further.
const SEED = process.env.FUZZ_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FUZZ_SEED ?? 20261127);
const CASES = { webhook: 220, http: 80, socket: 100, admin: 20 };
const UNSIGNED = 'UNSIGNED';

/** mulberry32: small, fast, good enough to pick mutations reproducibly. */
function prng(seed: number) {
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
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof prng>;
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function deep(depth: number, leaf: Json): Json {
  let v: Json = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { n: v };
  return v;
}

/** A random JSON value, with the shapes that break parsers and validators overrepresented. */
function randomValue(r: Rng, depth = 0): Json {
  const k = r.int(depth > 2 ? 9 : 12);
  switch (k) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.pick([0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, Number.MIN_VALUE]);
    case 3:
      return r.pick(['', ' ', '\u0000', '🙂'.repeat(5), '<script>alert(1)</script>', '../../etc/passwd', "' OR 1=1 --", '\ud800', 'wamid.x']);
    case 4:
      return 'x'.repeat(r.pick([4096, 4097, 70_000]));
    case 5:
      return String(r.int(1e9));
    case 6:
      return deep(r.pick([50, 800]), 'bottom');
    case 7:
      return { __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } };
    case 8:
      return [];
    case 9:
      return Array.from({ length: r.int(4) }, () => randomValue(r, depth + 1));
    default: {
      const o: { [k: string]: Json } = {};
      for (let i = r.int(4); i > 0; i--)
        o[r.pick(['text', 'on', 'up_to', 'name', 'email', 'phone', 'client_id', 'id', 'type', 'x'])] = randomValue(r, depth + 1);
      return o;
    }
  }
}

/** Every (parent, key) in a JSON tree, for picking what to mutate. */
function slots(v: Json, out: [Record<string, Json> | Json[], string | number][] = []): typeof out {
  if (Array.isArray(v)) v.forEach((c, i) => (out.push([v, i]), slots(c, out)));
  else if (v && typeof v === 'object') {
    for (const k of Object.keys(v)) {
      out.push([v, k]);
      slots(v[k]!, out);
    }
  }
  return out;
}

/** One to three structural mutations: delete, retype, replace with something huge or deep, fan out. */
function mutate(r: Rng, value: Json): Json {
  const copy = JSON.parse(JSON.stringify(value)) as Json;
  for (let n = 1 + r.int(3); n > 0; n--) {
    const all = slots(copy);
    if (!all.length) break;
    const [parent, key] = r.pick(all);
    const p = parent as Record<string | number, Json>;
    const op = r.int(5);
    if (op === 0) {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete p[key];
    } else if (op === 1) p[key] = randomValue(r);
    else if (op === 2) {
      const unit = (typeof p[key] === 'string' ? p[key] : String(p[key])).slice(0, 64) || 'x';
      p[key] = unit.repeat(Math.ceil(r.pick([1, 4097, 70_000, 300_000]) / unit.length));
    } else if (op === 3) p[key] = deep(r.pick([100, 800]), typeof p[key] === 'object' ? null : (p[key] ?? null));
    else if (Array.isArray(p[key])) p[key] = Array.from({ length: 1 + r.int(40) }, () => (p[key] as Json[])[0] ?? null);
    else p[key] = [p[key] ?? null];
  }
  return copy;
}

/** JSON text that may be broken at the byte level. */
function serialise(r: Rng, value: Json): Buffer {
  const text = Buffer.from(JSON.stringify(value));
  switch (r.int(10)) {
    case 0:
      return text.subarray(0, r.int(text.length)); // truncated
    case 1:
      return Buffer.concat([text, Buffer.from(r.pick(['}', ',', ' garbage', '\u0000']))]);
    case 2: {
      // non-UTF-8 bytes spliced in
      const at = r.int(text.length);
      return Buffer.concat([text.subarray(0, at), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x80]), text.subarray(at)]);
    }
    case 3:
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text]); // BOM
    case 4:
      return Buffer.from(r.pick(['', 'null', '[]', '"str"', '{', '1e999', '{"object":1}']));
    default:
      return text;
  }
}

/** Give every message and status a traceable id (UNSIGNED ones marked so any leak is visible). */
function label(body: Json, tag: string): Json {
  const b = JSON.parse(JSON.stringify(body));
  if (b && typeof b === 'object') b.fuzz_case = tag; // every case a distinct body (Meta adds fields too)
  let n = 0;
  for (const entry of b?.entry ?? []) {
    for (const change of entry?.changes ?? []) {
      const v = change?.value ?? {};
      for (const m of v.messages ?? []) if (m && typeof m === 'object') m.id = `wamid.${tag}-${n++}`;
      for (const s of v.statuses ?? []) if (s && typeof s === 'object') s.id = `wamid.${tag}-${n++}`;
      for (const c of v.contacts ?? [])
        if (c && typeof c === 'object' && c.wa_id) c.wa_id = tag.startsWith(UNSIGNED) ? `99${n++}${c.wa_id}`.slice(0, 15) : c.wa_id;
    }
  }
  return b;
}

/** Strings of every message object in an accepted body that passes the shared schema. */
function validMessageStrings(raw: Buffer, into: Set<string>): void {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return;
  }
  const body = WebhookBodySchema.safeParse(json);
  if (!body.success) return;
  const collect = (v: unknown): void => {
    if (typeof v === 'string') into.add(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') Object.values(v).forEach(collect);
  };
  for (const entry of body.data.entry) {
    for (const change of entry.changes) {
      // A marketing stop or resume is recorded on its contact even before they ever wrote.
      const prefs = UserPreferencesValueSchema.safeParse(change.value);
      if (change.field === 'user_preferences' && prefs.success) {
        for (const p of prefs.data.user_preferences) {
          if (p.category === 'marketing_messages' && (p.value === 'stop' || p.value === 'resume')) {
            collect(p);
            collect(prefs.data.contacts ?? []);
          }
        }
      }
      const value = ChangeValueSchema.safeParse(change.value);
      if (!value.success) continue;
      for (const m of value.data.messages ?? []) {
        if (InboundMessageSchema.safeParse(m).success) {
          collect(m);
          collect(value.data.contacts ?? []);
        }
      }
    }
  }
}

describe(`fuzz (seed ${SEED})`, () => {
  let s: TestServer;
  const dataDir = tempDir('connectdesk-fuzz-');
  const problems: string[] = [];
  const onRejection = (err: unknown) => problems.push(`unhandled rejection: ${String(err)}`);
  const onException = (err: unknown) => problems.push(`uncaught exception: ${String(err)}`);
  const accepted = {
    webhookKeys: new Set<string>(),
    refusedKeys: new Map<string, string>(),
    validStrings: new Set<string>(),
    webMessageIds: new Set<string>(),
    visitorTokens: new Set<string>(),
    visitorSockets: 0,
  };
  const rng = prng(SEED);
  const where = (kind: string, i: number) => `seed ${SEED}, ${kind} case ${i}`;

  async function healthy(context: string): Promise<void> {
    const res = await s.fetch('/healthz');
    expect(res.status, `/healthz after ${context}`).toBe(200);
  }

  beforeAll(async () => {
    console.info(`fuzz seed ${SEED} — reproduce with FUZZ_SEED=${SEED} pnpm vitest run test/integration/fuzz-inputs.test.ts`);
    process.on('unhandledRejection', onRejection);
    process.on('uncaughtException', onException);
    // SQLite in a data dir we keep, so the file can be inspected after the server stopped;
    // TRUST_PROXY so each HTTP case can come from its own address (no per-IP rate limit).
    s = await startTestServer(
      {
        DATABASE_URL: `sqlite:${dataDir}/connectdesk.sqlite`,
        TRUST_PROXY: 'true',
        WHATSAPP_APP_SECRET: APP_SECRET,
        WHATSAPP_PHONE_NUMBER_ID: '100000000000001',
      },
      { dataDir },
    );
  });

  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
    await s?.stop().catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('webhook: mutated pywa bodies, signed, unsigned and forged, never get a 5xx', async () => {
    const corpus = fs
      .readdirSync(PYWA_DIR)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => Object.values(pywaBodies(f)) as Json[]);
    for (let i = 0; i < CASES.webhook; i++) {
      const signing = rng.pick(['signed', 'signed', 'signed', 'signed', 'none', 'forged', 'malformed'] as const);
      const tag = signing === 'signed' ? `fuzz-${i}` : `${UNSIGNED}-${i}`;
      const base = label(rng.pick(corpus), tag);
      const raw = serialise(rng, rng.chance(0.85) ? mutate(rng, base) : base);
      const signature =
        signing === 'signed'
          ? signWebhookBody(raw, APP_SECRET)
          : signing === 'forged'
            ? signWebhookBody(raw, 'not-the-app-secret')
            : signing === 'malformed'
              ? rng.pick(['sha256=', 'sha1=abc', signWebhookBody(raw, APP_SECRET).toUpperCase().replace('SHA256', 'md5'), '\u00ff'])
              : null;
      const headers: Record<string, string> = {
        'content-type': rng.pick(['application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded']),
      };
      if (signature !== null) headers['x-hub-signature-256'] = signature.replace(/[^\x20-\x7e]/g, '?');
      const res = await s.fetch('/api/whatsapp/webhook', { method: 'POST', headers, body: new Uint8Array(raw) });
      const text = await res.text();
      if (signing === 'signed') expect([200, 400, 413], `${where('webhook', i)}: ${res.status} ${text.slice(0, 200)}`).toContain(res.status);
      else expect([401, 413], `${where('webhook', i)} (${signing}): ${res.status}`).toContain(res.status); // too big is refused before reading
      const key = createHash('sha256').update(raw).digest('hex');
      if (res.status !== 200) accepted.refusedKeys.set(key, `${where('webhook', i)}: ${res.status} ${signing}`);
      if (res.status === 200) {
        accepted.webhookKeys.add(key);
        validMessageStrings(raw, accepted.validStrings);
      } else if (res.status !== 413) {
        expect(JSON.parse(text).error.code, where('webhook', i)).toEqual(expect.any(String));
      }
      if (i % 40 === 0) await healthy(where('webhook', i));
    }
    await healthy('the webhook cases');
  });

  it('POST /api/messages: random and mutated bodies are accepted exactly when valid', async () => {
    const valid = (i: number): Json => ({ text: `fuzz http ${i}`, name: 'Fuzz', email: 'fuzz@example.com', phone: '+44 7700 900123', client_id: `h-${i}` });
    for (let i = 0; i < CASES.http; i++) {
      const value = rng.chance(0.2) ? randomValue(rng) : rng.chance(0.25) ? valid(i) : mutate(rng, valid(i));
      const raw = rng.chance(0.85) ? Buffer.from(JSON.stringify(value)) : serialise(rng, value);
      const contentType = rng.chance(0.9) ? 'application/json' : 'text/plain';
      const res = await s.fetch('/api/messages', {
        method: 'POST',
        headers: { 'content-type': contentType, 'x-forwarded-for': `10.0.${i >> 8}.${i & 255}` },
        body: new Uint8Array(raw),
      });
      const body = await res.json().catch(() => null);
      expect(res.status, `${where('http', i)}: ${JSON.stringify(body)?.slice(0, 200)}`).toBeLessThan(500);
      let parsed: unknown = undefined;
      try {
        parsed = JSON.parse(raw.toString('utf8').replace(/^\uFEFF/, '')); // a BOM may be ignored (RFC 8259)
      } catch {
        /* not JSON */
      }
      const schema = VisitorMessageBodySchema.safeParse(parsed);
      const acceptable = schema.success && !schema.data.visitor_token && (!schema.data.phone || normalizeWaId(schema.data.phone) !== null);
      if (res.status === 200 || res.status === 201) {
        expect(schema.success, `${where('http', i)} accepted an invalid body: ${raw.toString('utf8').slice(0, 300)} (${contentType})`).toBe(true);
        accepted.webMessageIds.add(body.message_id);
        accepted.visitorTokens.add(body.visitor_token);
      } else {
        expect(body?.error?.code, where('http', i)).toEqual(expect.any(String));
        if (acceptable && contentType === 'application/json') {
          expect(
            [413, 429],
            `${where('http', i)}: a valid body refused with ${res.status} ${JSON.stringify(body)}; sent ${raw.toString('utf8').slice(0, 300)}`,
          ).toContain(res.status);
        }
      }
    }
    await healthy('the HTTP cases');
  });

  it('/visitor and /admin socket events: random payloads get a clear ack or are ignored', async () => {
    const events = ['message:send', 'typing', 'read', 'identify', 'history'] as const;
    let socket: Socket | null = null;
    let socketAccepted = false;
    for (let i = 0; i < CASES.socket; i++) {
      if (!socket || !socket.connected || i % 20 === 0) {
        if (socketAccepted) accepted.visitorSockets += 1;
        socket?.disconnect();
        socket = await s.visitorSocket();
        socketAccepted = false;
      }
      const event = rng.pick(events);
      const payload: Json | Buffer = rng.chance(0.1)
        ? Buffer.from([0xff, 0x00, 0xfe])
        : event === 'message:send' && rng.chance(0.5)
          ? mutate(rng, { text: `fuzz socket ${i}`, client_id: `s-${i}`, name: 'Fuzz' })
          : randomValue(rng);
      // Without an ack: typing and read never have one; the others must cope with its absence
      // (only with payloads that cannot be valid, so what gets stored is still known exactly).
      const noAck =
        event === 'typing' ||
        event === 'read' ||
        (rng.chance(0.1) && (payload === null || typeof payload !== 'object' || Array.isArray(payload) || Buffer.isBuffer(payload)));
      if (noAck) {
        socket.emit(event, payload);
        continue;
      }
      const sock = socket;
      const ack = await new Promise<Record<string, unknown>>((resolve) => {
        const dropped = (reason: string) => resolve({ disconnected: reason });
        sock.once('disconnect', dropped);
        sock
          .timeout(10_000)
          .emitWithAck(event, payload)
          .then(
            (v: Record<string, unknown>) => resolve(v),
            (err: Error) => resolve({ timeout: err.message }),
          )
          .finally(() => sock.off('disconnect', dropped));
      });
      if ('disconnected' in ack) continue; // e.g. a payload over the size limit: the socket is dropped, clearly
      expect(ack, where('socket', i)).not.toHaveProperty('timeout');
      const a = ack as { ok: boolean; error?: { code: string }; message?: { id: string } };
      if (!a.ok) expect(a.error?.code, `${where('socket', i)}: ${event} ${JSON.stringify(payload)?.slice(0, 300)} → ${JSON.stringify(a)}`).not.toBe('internal');
      if (a.ok && event === 'message:send') accepted.webMessageIds.add(a.message!.id);
      if (a.ok && (event === 'message:send' || event === 'identify')) socketAccepted = true;
    }
    if (socketAccepted) accepted.visitorSockets += 1;
    socket?.disconnect();

    const agent = await s.adminSocket(await s.signIn());
    for (let i = 0; i < CASES.admin; i++) agent.emit('typing', rng.chance(0.1) ? Buffer.from([0xff]) : randomValue(rng));
    agent.disconnect();
    await healthy('the socket cases');
  });

  it('stays healthy, rejects nothing unhandled, and stores exactly what was accepted', async () => {
    await healthy('everything');
    expect(problems).toEqual([]);
    await s.stop();
    const disk = await withDatabase(dataDir, async (db) => ({
      eventKeys: await db<{ dedupe_key: string; raw_body: string }>('webhook_events').select('dedupe_key', 'raw_body'),
      unsignedLeaks: (await db('webhook_events').where('raw_body', 'like', `%${UNSIGNED}%`).count({ n: '*' }).first()) as { n: number },
      whatsappMessages: await db('messages as m')
        .join('conversations as c', 'c.id', 'm.conversation_id')
        .where('c.channel', 'whatsapp')
        .select<{ wamid: string | null; direction: string }[]>('m.wamid', 'm.direction'),
      whatsappContacts: (await db('contacts').whereNotNull('wa_id').pluck('wa_id')) as string[],
      webMessages: (await db('messages as m').join('conversations as c', 'c.id', 'm.conversation_id').where('c.channel', 'web').pluck('m.id')) as string[],
      visitors: Number(((await db('contacts').whereNotNull('visitor_token_hash').count({ n: '*' }).first()) as { n: number }).n),
    }));
    const context = `seed ${SEED}`;
    // webhook_events: every signed delivery answered 200, none that was refused; anything else in
    // there is the embedded sandbox's own status webhooks for the owner forwards.
    const keys = new Set(disk.eventKeys.map((e) => e.dedupe_key));
    for (const k of accepted.webhookKeys) expect(keys.has(k), `${context}: a delivery answered 200 is not stored`).toBe(true);
    for (const [k, why] of accepted.refusedKeys)
      if (!accepted.webhookKeys.has(k)) expect(keys.has(k), `${context}: a refused delivery was stored (${why})`).toBe(false);
    for (const e of disk.eventKeys.filter((x) => !accepted.webhookKeys.has(x.dedupe_key))) expect(e.raw_body, context).not.toMatch(/fuzz-|UNSIGNED/);
    expect(Number(disk.unsignedLeaks.n), context).toBe(0);
    for (const m of disk.whatsappMessages) {
      expect(m.wamid, `${context}: a stored WhatsApp message without a valid source`).not.toBeNull();
      expect(accepted.validStrings.has(m.wamid!), `${context}: stored ${m.wamid} from no valid message object`).toBe(true);
    }
    for (const waId of disk.whatsappContacts) expect(accepted.validStrings.has(waId), `${context}: contact ${waId} from no valid message`).toBe(true);
    expect(new Set(disk.webMessages), `${context}: web messages must be exactly those acknowledged`).toEqual(accepted.webMessageIds);
    expect(disk.visitors, `${context}: one visitor per accepted HTTP token or socket`).toBe(accepted.visitorTokens.size + accepted.visitorSockets);
  });
});
