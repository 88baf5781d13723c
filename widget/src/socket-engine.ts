/**
 * The widget's engine.io (protocol 4) connection, the transport under its socket: a WebSocket,
 * or — when that cannot open (an old proxy, a corporate filter) — HTTP long-polling over `fetch`.
 * Text packets only (the widget sends and receives JSON; files go over HTTP). One connection per
 * call; the socket layer (socket.ts) opens a new one to reconnect. The packet format is the one
 * engine.io-client speaks: `0` open (handshake JSON), `1` close, `2` ping, `3` pong, `4` message,
 * `6` noop; a polling body carries several packets separated by `\x1e`.
 */

export interface EngineHandlers {
  /** The server's handshake arrived: messages can be sent. */
  open(): void;
  message(data: string): void;
  /** The connection ended (or never opened) by itself; not called after `close()`. */
  close(reason: string): void;
}

export interface Engine {
  send(data: string): void;
  /** Tells the server, then stops. */
  close(): void;
}

const SEPARATOR = '\x1e';

/** `base` is the socket.io endpoint, e.g. `https://desk.example.com/socket.io/`. */
export function openEngine(base: string, on: EngineHandlers): Engine {
  let ended = false;
  let sid = '';
  let pingInterval = 0;
  let pingTimeout = 0;
  let heartbeat: ReturnType<typeof setTimeout> | undefined;
  let write: (packets: string[]) => void = () => {};
  let stop = () => {};

  const url = (transport: string) => `${base}?EIO=4&transport=${transport}${sid && `&sid=${sid}`}`;
  const end = (reason: string) => {
    if (ended) return;
    ended = true;
    clearTimeout(heartbeat);
    stop();
    on.close(reason);
  };
  const receive = (packet: string) => {
    if (ended) return;
    const type = packet[0];
    const body = packet.slice(1);
    if (type === '4') on.message(body);
    else if (type === '2' || type === '0') {
      // The server pings every pingInterval and gives up pingTimeout later; so do we.
      if (type === '0') ({ sid, pingInterval, pingTimeout } = JSON.parse(body) as Handshake);
      clearTimeout(heartbeat);
      heartbeat = setTimeout(() => end('ping timeout'), pingInterval + pingTimeout);
      if (type === '2') write(['3']);
      else on.open();
    } else if (type === '1') end('transport close');
  };

  const polling = () => {
    const aborter = new AbortController();
    let queue: string[] = [];
    let posting = false;
    const request = (init?: RequestInit) =>
      fetch(`${url('polling')}&t=${Date.now().toString(36)}`, { credentials: 'omit', ...init }).then((res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        return res.text();
      });
    const poll = (): Promise<void> =>
      request({ signal: aborter.signal }).then(
        (body) => {
          for (const packet of body.split(SEPARATOR)) receive(packet);
          if (!ended) return poll();
        },
        () => end('transport error'),
      );
    const flush = () => {
      if (posting || !queue.length) return;
      posting = true;
      const body = queue.join(SEPARATOR);
      queue = [];
      request({ method: 'POST', body, headers: { 'content-type': 'text/plain;charset=UTF-8' } }).then(
        () => {
          posting = false;
          flush();
        },
        () => end('transport error'),
      );
    };
    write = (packets) => {
      queue.push(...packets);
      flush();
    };
    stop = () => aborter.abort();
    void poll();
  };

  try {
    const ws = new WebSocket(url('websocket').replace(/^http/, 'ws'));
    write = (packets) => packets.forEach((p) => ws.send(p));
    stop = () => {
      ws.onclose = ws.onmessage = null;
      ws.close();
    };
    ws.onmessage = (e) => receive(String(e.data));
    // Refused before the handshake: try long-polling; after it, the connection is gone.
    ws.onclose = () => (sid ? end('transport close') : polling());
  } catch {
    polling();
  }

  return {
    send: (data) => write([`4${data}`]),
    close() {
      if (ended) return;
      if (sid) write(['1']);
      ended = true;
      clearTimeout(heartbeat);
      stop();
    },
  };
}

interface Handshake {
  sid: string;
  pingInterval: number;
  pingTimeout: number;
}
