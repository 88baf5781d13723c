/**
 * The widget's one socket: socket.io (protocol 5) on the `/visitor` namespace, over the engine in
 * socket-engine.ts (WebSocket first, HTTP long-polling as the fallback), reconnecting with jittered
 * exponential backoff capped at 4 s. It speaks only what the widget uses — JSON events, acks with
 * a timeout, the server's connection-state recovery — so the bundle carries no general-purpose
 * client (socket.io-client was ~11 KB brotli of the first reply). The API is socket.io-client's:
 * `on`, `emit`, `timeout(ms).emit(ev, data, cb)` / `.emitWithAck(ev, data)`, `connect`,
 * `disconnect`, `connected`, `active`, and the `connect` / `disconnect` / `connect_error` events.
 */
import type { VisitorClientToServer, VisitorServerToClient } from '@connectdesk/shared';
import { openEngine, type Engine } from './socket-engine.ts';

/** What an acknowledged event's reply is. */
export type AckReply<E extends keyof VisitorClientToServer> = Parameters<NonNullable<Parameters<VisitorClientToServer[E]>[1]>>[0];

type Payload<E extends keyof VisitorClientToServer> = Parameters<VisitorClientToServer[E]>[0];
type AckedEvent = { [E in keyof VisitorClientToServer]: Parameters<VisitorClientToServer[E]>[1] extends undefined ? never : E }[keyof VisitorClientToServer];
interface Reserved {
  connect: () => void;
  disconnect: (reason: string) => void;
  connect_error: (err: Error) => void;
}
type Listeners = VisitorServerToClient & Reserved;
type Listener = (...args: unknown[]) => void;

const NSP = '/visitor';
const BACKOFF_MIN = 1000;
const BACKOFF_MAX = 4000;

export class VisitorSocket {
  /** The namespace is joined. */
  connected = false;
  /** Between `connect()` and `disconnect()` (or a refusal): it reconnects by itself meanwhile. */
  active = false;
  private engine: Engine | null = null;
  private listeners: Record<string, Listener[]> = {};
  private unsent: string[] = [];
  private acks = new Map<number, (err: Error | null, reply?: unknown) => void>();
  private nextAck = 0;
  private attempts = 0;
  private retry: ReturnType<typeof setTimeout> | undefined;
  // Connection-state recovery: the session id and the offset of the last event received.
  private pid: string | undefined;
  private offset: string | undefined;

  constructor(
    private readonly endpoint: string,
    private readonly auth: () => object,
  ) {}

  on<E extends keyof Listeners>(event: E, fn: Listeners[E]): this {
    (this.listeners[event] ??= []).push(fn as Listener);
    return this;
  }

  emit<E extends keyof VisitorClientToServer>(event: E, payload: Payload<E>): this {
    this.send(`2${NSP},${JSON.stringify([event, payload])}`);
    return this;
  }

  /** Acknowledged emits that fail with an Error when no reply comes within `ms` (or the connection drops). */
  timeout(ms: number) {
    const emit = <E extends AckedEvent>(event: E, payload: Payload<E>, cb: (err: Error | null, reply: AckReply<E>) => void): void => {
      const id = this.nextAck++;
      const packet = `2${NSP},${id}${JSON.stringify([event, payload])}`;
      const timer = setTimeout(() => done(new Error('operation has timed out')), ms);
      const done = (err: Error | null, reply?: unknown) => {
        clearTimeout(timer);
        this.acks.delete(id);
        this.unsent = this.unsent.filter((p) => p !== packet);
        cb(err, reply as AckReply<E>);
      };
      this.acks.set(id, done);
      this.send(packet);
    };
    return {
      emit,
      emitWithAck: <E extends AckedEvent>(event: E, payload: Payload<E>) =>
        new Promise<AckReply<E>>((resolve, reject) => emit(event, payload, (err, reply) => (err ? reject(err) : resolve(reply)))),
    };
  }

  connect(): this {
    this.active = true;
    if (!this.engine && this.retry === undefined) this.open();
    return this;
  }

  disconnect(): this {
    if (this.connected) this.send(`1${NSP},`);
    this.stop();
    if (this.connected) this.closed('io client disconnect');
    return this;
  }

  private open(): void {
    let opened = false;
    this.retry = undefined;
    const engine = openEngine(this.endpoint, {
      open: () => {
        opened = true;
        this.attempts = 0;
        const auth = this.auth();
        engine.send(`0${NSP},${JSON.stringify(this.pid ? { pid: this.pid, offset: this.offset, ...auth } : auth)}`);
      },
      message: (data) => this.receive(data),
      close: (reason) => {
        this.engine = null;
        if (this.connected) this.closed(reason);
        else this.fire('connect_error', new Error(opened ? reason : 'connection failed'));
        if (this.active) this.retry = setTimeout(() => this.open(), this.backoff());
      },
    });
    this.engine = engine;
  }

  /** Like socket.io-client's: 1 s doubling per attempt, ±50 %, then capped at 4 s. */
  private backoff(): number {
    const ms = BACKOFF_MIN * 2 ** Math.min(this.attempts++, 10);
    return Math.min(ms * (0.5 + Math.random()), BACKOFF_MAX);
  }

  private stop(): void {
    this.active = false;
    clearTimeout(this.retry);
    this.retry = undefined;
    this.engine?.close();
    this.engine = null;
  }

  private closed(reason: string): void {
    this.connected = false;
    for (const done of this.acks.values()) done(new Error('socket has been disconnected'));
    this.fire('disconnect', reason);
  }

  private send(packet: string): void {
    if (this.connected) this.engine!.send(packet);
    else this.unsent.push(packet);
  }

  /** `<type>[/visitor,][<ack id>][<JSON>]` */
  private receive(data: string): void {
    const head = /^(\d)(?:\/[^,]*,)?(\d*)/.exec(data);
    if (!head) return;
    const [all, type, id] = head;
    const body = data.length > all.length ? (JSON.parse(data.slice(all.length)) as unknown) : undefined;
    if (type === '0') {
      this.pid = (body as { pid?: string } | undefined)?.pid;
      this.connected = true;
      const unsent = this.unsent;
      this.unsent = [];
      for (const packet of unsent) this.engine!.send(packet);
      this.fire('connect');
    } else if (type === '2' && Array.isArray(body)) {
      const [event, ...args] = body as [string, ...unknown[]];
      // With recovery on, the server appends each event's offset as a last argument: kept, not passed on.
      if (this.pid && typeof args[args.length - 1] === 'string') this.offset = args.pop() as string;
      this.fire(event, ...args);
    } else if (type === '3' && Array.isArray(body)) {
      this.acks.get(Number(id))?.(null, body[0]);
    } else if (type === '4') {
      // Refused by the server's middleware: not retried here (the session decides when).
      this.stop();
      this.fire('connect_error', new Error((body as { message?: string } | undefined)?.message ?? 'refused'));
    } else if (type === '1') {
      this.stop();
      this.closed('io server disconnect');
    }
  }

  private fire(event: string, ...args: unknown[]): void {
    for (const fn of this.listeners[event] ?? []) fn(...args);
  }
}

export function visitorSocket(base: string, auth: () => { visitor_token?: string }): VisitorSocket {
  return new VisitorSocket(`${base.replace(/\/$/, '')}/socket.io/`, auth);
}
