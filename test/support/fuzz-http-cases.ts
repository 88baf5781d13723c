/**
 * Hostile HTTP for the transport fuzz: random methods (OPTIONS, PROPFIND, garbage...), mangled
 * targets, headers that break framing and syntax (duplicated or contradictory Content-Length /
 * Transfer-Encoding, huge, folded) or carry hostile values, and JSON bodies with prototype keys
 * at the JSON endpoints.
 */
import { rawRequest, requestBytes } from './raw-http.ts';
import { cookieHeader, originHeader, type FuzzCase, type FuzzTarget, type Rng } from './fuzz-basics.ts';

const METHODS = [
  'GET',
  'GET',
  'POST',
  'POST',
  'HEAD',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'OPTIONS',
  'PROPFIND',
  'TRACE',
  'MKCOL',
  'LOCK',
  'SEARCH',
  'PURGE',
  'BREW',
  'get',
  'G\u0000T',
  'X'.repeat(300),
] as const;

function target(r: Rng, t: FuzzTarget): string {
  const p = r.pick(t.paths);
  switch (r.int(14)) {
    case 0:
      return p + '/';
    case 1:
      return (
        p +
        (p.includes('?') ? '&' : '?') +
        r.pick([
          'a=%',
          'a=%zz',
          'visitor_token[]=x&visitor_token=y',
          '__proto__[x]=1',
          'constructor[prototype][x]=1',
          'x=' + 'y'.repeat(9000),
          'EIO=4&transport=polling',
        ])
      );
    case 2:
      return p.replace(/\/([^/]*)$/, '/%00$1');
    case 3:
      return p.replace(/\//g, '//');
    case 4:
      return p + '/..%2f..%2f..%2fetc%2fpasswd';
    case 5:
      return p.toUpperCase();
    case 6:
      return `http://127.0.0.1:${t.port}${p}`;
    case 7:
      return p + ';jsessionid=1#frag';
    case 8:
      return p + '/%c0%ae%c0%ae/\u00e9';
    case 9:
      return r.pick(['*', '', 'socket.io', '/' + 'a'.repeat(20_000), '\\admin\\', '/%', '/admin/%E0%A4%A']);
    default:
      return p;
  }
}

/**
 * 0-4 hostile headers on top of a Host header. Well-formed requests keep a valid Host and framing
 * (so they reach the application); the others also break the framing and the header syntax.
 */
function hostileHeaders(r: Rng, t: FuzzTarget, bodyLength: number, wellFormed: boolean): [string, string][] {
  const h: [string, string][] = wellFormed
    ? [['Host', `127.0.0.1:${t.port}`]]
    : r.chance(0.9)
      ? [['Host', r.pick(['127.0.0.1', 'evil.example', '', 'a b', '[::1'])]]
      : [];
  let framed = false;
  for (let n = r.int(5); n > 0; n--) {
    switch (wellFormed ? r.pick([4, 5, 6, 10, 11, 12, 13, 15]) : r.int(16)) {
      case 0:
        h.push(['Content-Length', String(bodyLength)], ['Content-Length', String(bodyLength + 1)]);
        framed = true;
        break;
      case 1:
        h.push(['Content-Length', r.pick(['-1', '1e3', '+5', ' 5', '99999999999999', 'abc', '0x10'])]);
        framed = true;
        break;
      case 2:
        h.push(['Transfer-Encoding', 'chunked'], ['Content-Length', String(bodyLength)]);
        framed = true;
        break;
      case 3:
        h.push(['Transfer-Encoding', r.pick(['chunked, identity', 'gzip', 'xchunked', 'chunked\u0000', 'identity'])]);
        framed = true;
        break;
      case 4:
        h.push([
          'Content-Type',
          r.pick([
            'application/json; charset=utf-7',
            'multipart/form-data',
            'multipart/form-data; boundary=',
            'multipart/form-data; boundary=x',
            'application/x-www-form-urlencoded',
            '*/*',
            'text/plain',
            'application/json; a=' + 'b'.repeat(4000),
            'application/octet-stream',
          ]),
        ]);
        break;
      case 5:
        h.push(['Cookie', cookieHeader(r, t)]);
        if (r.chance(0.3)) h.push(['Cookie', cookieHeader(r, t)]);
        break;
      case 6:
        h.push(['Origin', originHeader(r, t)]);
        break;
      case 7:
        h.push(['X-Huge', 'x'.repeat(r.pick([8000, 20_000, 70_000]))]);
        break;
      case 8:
        for (let i = 0; i < 150; i++) h.push([`X-Many-${i}`, String(i)]);
        break;
      case 9:
        h.push(['X-Folded', 'a\r\n b'], ['Bad Header', 'x'], ['NoColon\r\nX', 'y']);
        break;
      case 10:
        h.push(['Authorization', r.pick(['Bearer ', 'Bearer cdk_' + 'x'.repeat(5000), 'Basic Zm9vOmJhcg==', 'Bearer cdk_\u00ff', 'Bearer a b c'])]);
        break;
      case 11:
        h.push(
          ['X-Forwarded-For', r.pick(['1.2.3.4, 5.6.7.8', 'garbage', '', '::1'.repeat(500)])],
          ['X-Forwarded-Proto', r.pick(['https', 'gopher', 'https, http'])],
          ['X-Forwarded-Host', 'evil.example'],
        );
        break;
      case 12:
        h.push(['Accept-Encoding', r.pick(['br;q=2, gzip;q=nan', 'identity;q=0, *;q=0', 'x'.repeat(2000)])], ['Range', 'bytes=999999-,-0']);
        break;
      case 13:
        h.push(['If-None-Match', r.pick(['*', 'W/"\u00ff"', '"' + 'a'.repeat(5000)])], ['If-Modified-Since', 'yesterday']);
        break;
      case 14:
        h.push(['Expect', r.pick(['100-continue', 'garbage'])]);
        break;
      default:
        h.push(
          ['Accept', r.pick(['application/json', 'text/html', '*/*;q=x'])],
          [
            'User-Agent',
            wellFormed
              ? r
                  .bytes(40)
                  .toString('latin1')
                  // eslint-disable-next-line no-control-regex -- replaces control characters on purpose
                  .replace(/[\x00-\x1f\x7f]/g, '?')
              : r.bytes(40).toString('latin1'),
          ],
        );
        break;
    }
  }
  if (!framed && bodyLength > 0) h.push(['Content-Length', String(bodyLength)]);
  return h;
}

function hostileBody(r: Rng): Buffer {
  switch (r.int(12)) {
    case 0:
    case 1:
      return Buffer.alloc(0);
    case 2:
      return Buffer.from(
        r.pick([
          '{"__proto__":{"polluted":true},"text":"hi","email":"a@b.c","password":"hunter2-hunter2"}',
          '{"constructor":{"prototype":{"polluted":true}}}',
          '{"prototype":1,"email":"admin@example.com","password":"x"}',
        ]),
      );
    case 3:
      return Buffer.from(r.pick(['{', '{"text":', 'null', '[]', '"x"', '1e999', '\ufeff{}', '{"a":1}{"b":2}']));
    case 4:
      return r.bytes(r.int(2000));
    case 5:
      return Buffer.from('['.repeat(5000) + ']'.repeat(5000));
    case 6:
      return Buffer.from(JSON.stringify({ text: 'x'.repeat(r.pick([100, 70_000, 400_000])) }));
    case 7:
      return Buffer.from('a[__proto__][x]=1&constructor[prototype][y]=2&text=hi');
    case 8:
      return Buffer.from(
        '--x\r\nContent-Disposition: form-data; name="file"; filename="../../a.html"\r\nContent-Type: text/html\r\n\r\n<script>1</script>\r\n--x--\r\n',
      );
    case 9:
      return Buffer.from('5\r\nhello\r\nzz\r\n\r\n');
    default:
      return Buffer.from(
        JSON.stringify({ text: 'fuzz', client_id: 'c', visitor_token: 'x'.repeat(r.int(200)), message_type: 'text', email: 'a@b.c', password: 'p' }),
      );
  }
}

/** One hostile HTTP request (sometimes two, pipelined) at a served path. */
export function httpCase(r: Rng, t: FuzzTarget): FuzzCase {
  const method = r.pick(METHODS);
  const path = r.chance(0.6) ? r.pick(t.paths) : target(r, t);
  const body = method === 'GET' && r.chance(0.7) ? Buffer.alloc(0) : hostileBody(r);
  const wellFormed = r.chance(0.6);
  const headers = hostileHeaders(r, t, body.length, wellFormed);
  // Mostly the type a real client would declare, so the body reaches the parsers behind it.
  if (body.length > 0 && r.chance(0.7) && !headers.some(([k]) => k === 'Content-Type')) {
    const text = body.toString('latin1');
    headers.push([
      'Content-Type',
      text.startsWith('--') ? 'multipart/form-data; boundary=x' : /^[[{"n\d\ufeff]/.test(text) ? 'application/json' : 'application/x-www-form-urlencoded',
    ]);
  }
  if (r.chance(0.5)) headers.push(['Origin', t.origin], ['Cookie', t.cookie]);
  const pipelined = r.chance(0.1);
  let bytes = requestBytes(method, path, [...headers, ['Connection', pipelined ? 'keep-alive' : 'close']], body);
  if (pipelined)
    bytes = Buffer.concat([
      bytes,
      requestBytes('GET', '/healthz', [
        ['Host', '127.0.0.1'],
        ['Connection', 'close'],
      ]),
    ]);
  if (method === 'CONNECT' || r.chance(0.03))
    bytes = Buffer.from(
      r.pick([
        'CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: x\r\n\r\n',
        'GET / HTTP/9.9\r\n\r\n',
        '\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003',
        'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /admin/api/me HTTP/1.1\r\n\r\n',
      ]),
      'latin1',
    );
  const label = `${wellFormed ? '' : 'malformed '}${JSON.stringify(method).slice(0, 20)} ${JSON.stringify(path).slice(0, 80)} headers=${JSON.stringify(headers.map(([k, v]) => `${k}:${v.slice(0, 24)}`)).slice(0, 300)} body=${body.length}B${pipelined ? ' pipelined' : ''}`;
  return { label, run: async () => [await rawRequest(t.port, bytes)] };
}

/** The JSON endpoints, with the method each takes a body on. */
const JSON_ROUTES: [string, string][] = [
  ['POST', '/api/messages'],
  ['POST', '/admin/api/session'],
  ['POST', '/admin/api/conversations/{c}/messages'],
  ['PATCH', '/admin/api/conversations/{c}'],
  ['POST', '/admin/api/templates/hello_world/preview'],
  ['POST', '/admin/api/agents'],
  ['POST', '/admin/api/tokens'],
  ['PUT', '/admin/api/settings/widget'],
  ['POST', '/admin/api/canned-responses'],
  ['POST', '/admin/api/settings/whatsapp-numbers'],
  ['POST', '/sandbox/faults'],
  ['POST', '/sandbox/phones/447700900123/messages'],
  ['POST', '/api/whatsapp/webhook'],
];

/** A JSON value whose keys and shapes are the ones that trip parsers and validators. */
function hostileJson(r: Rng, depth = 0): unknown {
  switch (r.int(depth > 2 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return r.pick([0, -1, 1e308, 2 ** 53 + 1, true]);
    case 2:
      return r.pick(['', '\u0000', 'x'.repeat(5000), '<script>', "' OR 1=1 --", '\ud800']);
    case 3:
      return [];
    case 4:
      return 'fuzz';
    case 5:
      return { text: 'fuzz', message_type: 'text', email: 'fuzz@example.com', password: 'hunter2-hunter2' };
    default: {
      // No prototype, so "__proto__" becomes an own key that JSON.stringify writes out.
      const o = Object.create(null) as Record<string, unknown>;
      for (let n = 1 + r.int(4); n > 0; n--)
        o[r.pick(['__proto__', 'constructor', 'prototype', 'text', 'email', 'password', 'kind', 'count', 'type', 'template', 'name'])] = hostileJson(
          r,
          depth + 1,
        );
      return o;
    }
  }
}

/** A JSON body at a JSON endpoint, as the app sends it (same Origin, signed-in), with hostile keys. */
export function jsonBodyCase(r: Rng, t: FuzzTarget): FuzzCase {
  const [method, route] = r.pick(JSON_ROUTES);
  const path = route.replace('{c}', t.conversationId);
  const text = JSON.stringify(hostileJson(r));
  const body = r.chance(0.3) ? `{"__proto__":${JSON.stringify(hostileJson(r))},${text.startsWith('{') && text.length > 2 ? text.slice(1) : '"x":1}'}` : text;
  const headers: [string, string][] = [
    ['Host', `127.0.0.1:${t.port}`],
    ['Content-Type', 'application/json'],
    ['Origin', t.origin],
    ['Cookie', t.cookie],
    ['Connection', 'close'],
    ['Content-Length', String(Buffer.byteLength(body))],
  ];
  return { label: `json ${method} ${path} ${body.slice(0, 200)}`, run: async () => [await rawRequest(t.port, requestBytes(method, path, headers, body))] };
}
