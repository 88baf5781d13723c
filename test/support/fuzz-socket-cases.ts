/**
 * Malformed engine.io / socket.io traffic for the transport fuzz: long-polling sessions (bad EIO
 * versions and sids, garbage, binary and oversized payloads, hanging, overlapping and half-sent
 * polls, wrong packet types, unknown namespaces, upgrades) and raw WebSockets (bad upgrades,
 * unmasked, fragmented, oversized frames, bad opcodes and close codes).
 */
import { rawRequest, rawWebSocket, requestBytes, upgradeHeaders, wsFrame, type RawResponse } from './raw-http.ts';
import { cookieHeader, originHeader, type FuzzCase, type FuzzTarget, type Rng } from './fuzz-basics.ts';

const EVENTS = ['message:send', 'history', 'typing', 'identify', 'read', '__proto__', 'constructor', 'session', 'message:new', '', 'x'.repeat(500)];

function sioData(r: Rng): string {
  switch (r.int(10)) {
    case 0:
      return '';
    case 1:
      return JSON.stringify([r.pick(EVENTS), { text: 'hello', client_id: `c${r.int(1e6)}` }]);
    case 2:
      return JSON.stringify([r.pick(EVENTS), r.pick([null, 1, 'x', [], { on: true }, { up_to: 'x' }, { __proto__: null }])]);
    case 3:
      return JSON.stringify({ visitor_token: r.pick(['', 'x', 'A'.repeat(32), 'A'.repeat(5000), null]) });
    case 4:
      return r.pick(['{"a":', '[', '"', 'null', '1e999', '{"__proto__":{"x":1}}', '["__proto__",{"constructor":{"prototype":{"x":1}}}]']);
    case 5:
      return '['.repeat(r.pick([100, 5000])) + ']'.repeat(r.pick([0, 5000]));
    case 6:
      return JSON.stringify(['message:send', { text: 'x'.repeat(r.pick([5000, 70_000])), client_id: 'big' }]);
    case 7:
      return JSON.stringify(['message:send', { _placeholder: true, num: r.pick([0, 1, -1, 1e9]) }]);
    default:
      return JSON.stringify(['message:send', { text: `fuzz ${r.int(1e6)}`, client_id: `f${r.int(1e6)}` }]);
  }
}

/** A socket.io packet: type, attachments, namespace, ack id, data — each possibly wrong. */
function sioPacket(r: Rng): string {
  const type = r.pick(['0', '0', '1', '2', '2', '2', '3', '4', '5', '6', '7', '9', 'x', '']);
  const attachments = type === '5' || type === '6' || r.chance(0.05) ? `${r.pick([0, 1, 2, 99999999, -1])}-` : '';
  const nsp = r.pick(['/visitor,', '/visitor,', '/admin,', '/admin,', '', '/nope,', '/', '/visitor', `/${'n'.repeat(3000)},`, '/visitor/,', '/\u00e9,']);
  const ack = r.chance(0.3) ? r.pick(['1', '0', '99999999999999999999', '-1', '1e3']) : '';
  return `${type}${attachments}${nsp}${ack}${sioData(r)}`;
}

/** An engine.io packet as text: mostly a socket.io message, else any engine.io type or garbage. */
function eioPacket(r: Rng): string {
  if (r.chance(0.6)) return `4${sioPacket(r)}`;
  return r.pick([
    '0',
    '1',
    '2',
    '2probe',
    '3',
    '3probe',
    '5',
    '6',
    '7',
    '9',
    'x',
    '',
    'b' + r.bytes(8).toString('base64'),
    'b!!notbase64',
    '4' + '\u0000'.repeat(10),
  ]);
}

const POLLING = '/socket.io/?EIO=4&transport=polling';

function handshakeTarget(r: Rng): string {
  if (r.chance(0.75)) return POLLING + r.pick(['', '', '&t=x', '&b64=1', '&j=0', '&sid=', '&EIO=4']);
  return r.pick([
    '/socket.io/?EIO=3&transport=polling',
    '/socket.io/?EIO=5&transport=polling',
    '/socket.io/?EIO=abc&transport=polling',
    '/socket.io/?transport=polling',
    '/socket.io/?EIO=4&transport=flashsocket',
    '/socket.io/?EIO=4&transport=websocket',
    '/socket.io/',
    '/socket.io/socket.io.js',
    '/socket.io/?EIO=4&transport=polling&sid=AAAAAAAAAAAAAAAAAAAA',
    '/socket.io',
  ]);
}

function pollHeaders(r: Rng, t: FuzzTarget, length?: number): [string, string][] {
  // With the port, Host matches a same-origin Origin: the /admin handshake gets past its Origin check.
  const h: [string, string][] = [
    ['Host', r.chance(0.7) ? `127.0.0.1:${t.port}` : '127.0.0.1'],
    ['Connection', 'close'],
  ];
  // Mostly what a browser on our own pages sends, so handshakes get past the Origin check.
  if (r.chance(0.8)) h.push(['Origin', r.chance(0.7) ? t.origin : originHeader(r, t)]);
  if (r.chance(0.6)) h.push(['Cookie', cookieHeader(r, t)]);
  if (length !== undefined)
    h.push(
      ['Content-Type', r.pick(['text/plain;charset=UTF-8', 'text/plain;charset=UTF-8', 'application/octet-stream', 'application/json', 'garbage'])],
      ['Content-Length', String(length)],
    );
  return h;
}

/** A long-polling session: a handshake (maybe malformed), then 1-5 steps that poke at it. */
export function pollingCase(r: Rng, t: FuzzTarget): FuzzCase {
  const plan = Array.from({ length: 1 + r.int(5) }, () => r.int(9));
  const handshake = handshakeTarget(r);
  const handshakeMethod = r.chance(0.9) ? 'GET' : r.pick(['POST', 'OPTIONS', 'PUT']);
  const headers = pollHeaders(r, t);
  // The packets are drawn up front so the case is the same whatever the server answers.
  const bodies = plan.map((_, i) => {
    if (r.chance(0.1)) return r.bytes(1 + r.int(300));
    const packets = Array.from({ length: 1 + r.int(4) }, () => eioPacket(r));
    // Usually the session joins a namespace first, as a client does, so later packets reach it.
    if (i === 0 && r.chance(0.7)) packets.unshift(`40${r.pick(['/visitor,', '/admin,'])}${r.chance(0.2) ? sioData(r) : ''}`);
    if (r.chance(0.05)) packets.push('4' + '2/visitor,' + JSON.stringify(['message:send', { text: 'x'.repeat(80_000), client_id: 'o' }]));
    return Buffer.from(packets.join('\u001e'));
  });
  const badSid = r.pick(['', 'AAAAAAAAAAAAAAAAAAAA', '../..', '%', 'x'.repeat(500)]);
  const postHeaders = bodies.map((b) => pollHeaders(r, t, b.length));
  const getHeaders = plan.map(() => pollHeaders(r, t));
  return {
    label:
      `polling ${handshakeMethod} ${handshake} then ${plan.join(',')} bodies=${JSON.stringify(bodies.map((b) => b.toString('latin1').slice(0, 60)))}`.slice(
        0,
        600,
      ),
    async run() {
      const out: RawResponse[] = [];
      const hs = await rawRequest(t.port, requestBytes(handshakeMethod, handshake, headers));
      out.push(hs);
      const sid = /"sid":"([^"]+)"/.exec(hs.text)?.[1] ?? badSid;
      for (const [i, step] of plan.entries()) {
        const url = `${POLLING}&sid=${encodeURIComponent(step === 7 ? badSid : sid)}`;
        if (step <= 3 || step === 7) out.push(await rawRequest(t.port, requestBytes('POST', url, postHeaders[i]!, bodies[i])));
        else if (step === 4)
          out.push(await rawRequest(t.port, requestBytes('GET', url, getHeaders[i]!), { timeoutMs: 300, keepOpen: true })); // a poll left hanging
        else if (step === 5) {
          // Two polls at once: engine.io refuses the overlap and closes the session.
          const both = await Promise.all([0, 1].map(() => rawRequest(t.port, requestBytes('GET', url, getHeaders[i]!), { timeoutMs: 300, keepOpen: true })));
          out.push(...both);
        } else if (step === 6) {
          // A POST whose body never fully arrives.
          const h = postHeaders[i]!.map(([k, v]): [string, string] => (k === 'Content-Length' ? [k, String(bodies[i]!.length + 100)] : [k, v]));
          out.push(await rawRequest(t.port, requestBytes('POST', url, h, bodies[i]), { timeoutMs: 300, keepOpen: true }));
        } else {
          // Upgrade this polling session to a WebSocket and send packets over it.
          const frames = [
            wsFrame(1, '2probe'),
            wsFrame(1, '5'),
            ...bodies[i]!.toString('latin1')
              .split('\u001e')
              .map((p) => wsFrame(1, p)),
          ];
          out.push(
            await rawWebSocket(t.port, `/socket.io/?EIO=4&transport=websocket&sid=${encodeURIComponent(sid)}`, upgradeHeaders(`127.0.0.1:${t.port}`), frames, {
              timeoutMs: 400,
            }),
          );
        }
      }
      return out;
    },
  };
}

function wsFrames(r: Rng): Buffer[] {
  const frames: Buffer[] = [];
  if (r.chance(0.7)) frames.push(wsFrame(1, `40${r.pick(['/visitor,', '/admin,', '/nope,'])}`));
  for (let n = 1 + r.int(6); n > 0; n--) {
    switch (r.int(12)) {
      case 0:
        frames.push(wsFrame(2, r.bytes(1 + r.int(200))));
        break; // binary
      case 1:
        frames.push(wsFrame(r.pick([3, 4, 5, 0xb, 0xf]), 'bad opcode'));
        break;
      case 2:
        frames.push(wsFrame(1, '42/visitor,["history",{}]', { mask: false }));
        break; // clients must mask
      case 3:
        frames.push(wsFrame(1, 'x', { declaredLength: 2 ** 40 }));
        break;
      case 4:
        frames.push(wsFrame(1, '42/visitor,["message:send",', { fin: false }), wsFrame(0, '{"text":"hi","client_id":"frag"}]'));
        break;
      case 5:
        frames.push(wsFrame(0, 'continuation without a start'));
        break;
      case 6:
        frames.push(wsFrame(8, Buffer.from([0x03, 0xe7, 0xff])));
        break; // close with a bad code
      case 7:
        frames.push(wsFrame(9, 'ping'), wsFrame(10, 'unsolicited pong'));
        break;
      case 8:
        frames.push(wsFrame(1, '4' + sioPacket(r).padEnd(r.pick([10, 70_000]), ' ')));
        break;
      case 9:
        frames.push(r.bytes(1 + r.int(64)));
        break; // not a frame at all
      case 10:
        frames.push(wsFrame(1, Buffer.from([0xc3, 0x28, 0xff])));
        break; // invalid UTF-8 text
      default:
        frames.push(wsFrame(1, eioPacket(r)));
        break;
    }
  }
  return frames;
}

/** A WebSocket straight to socket.io (or an upgrade where none belongs), with hostile frames or headers. */
export function webSocketCase(r: Rng, t: FuzzTarget): FuzzCase {
  const where = r.chance(0.8)
    ? `/socket.io/?EIO=${r.pick(['4', '4', '4', '3', 'x'])}&transport=websocket${r.pick(['', '', '&sid=AAAAAAAAAAAAAAAAAAAA', '&b64=1'])}`
    : r.pick(t.paths);
  const extra: [string, string][] = [];
  if (r.chance(0.5)) extra.push(['Origin', originHeader(r, t)]);
  if (r.chance(0.5)) extra.push(['Cookie', cookieHeader(r, t)]);
  let headers = upgradeHeaders(r.chance(0.7) ? `127.0.0.1:${t.port}` : '127.0.0.1', extra);
  if (r.chance(0.25)) {
    const broken = r.int(5);
    headers = headers.map(([k, v]): [string, string] => {
      if (broken === 0 && k === 'Sec-WebSocket-Version') return [k, r.pick(['8', '99', 'x', ''])];
      if (broken === 1 && k === 'Sec-WebSocket-Key') return [k, r.pick(['', 'short', 'x'.repeat(500)])];
      if (broken === 2 && k === 'Upgrade') return [k, r.pick(['garbage', 'h2c', ''])];
      if (broken === 3 && k === 'Connection') return [k, 'keep-alive'];
      return [k, v];
    });
    if (broken === 4) headers.push(['Sec-WebSocket-Extensions', 'permessage-deflate; client_max_window_bits=99'], ['Sec-WebSocket-Protocol', ',,,']);
  }
  const frames = wsFrames(r);
  return {
    label: `websocket ${where.slice(0, 100)} headers=${JSON.stringify(headers.map(([k, v]) => `${k}:${v.slice(0, 20)}`)).slice(0, 300)} frames=${frames.length}`,
    run: async () => [await rawWebSocket(t.port, where, headers, frames, { timeoutMs: 400 })],
  };
}
