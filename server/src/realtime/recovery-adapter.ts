/**
 * socket.io's connection-state recovery on one node (no Redis), with the missed packets kept as
 * text. socket.io's own in-memory store (`SessionAwareAdapter`) keeps every broadcast event for
 * `maxDisconnectionDuration` as the objects it was emitted with — at 400 visitor messages a second
 * ~2.6 KB of objects each, for two to three minutes, which every major GC has to mark again — and
 * finds a reconnecting client's offset by scanning all of them. Here each event is kept as the
 * text it is sent as, in a Buffer (outside the JS heap), with the rooms it went to — encoded once,
 * for the store and the wire alike (remembering-encoder.ts) — offsets are numbered so a reconnect
 * finds its place at once, and expired packets leave as new ones arrive. What a client gets back is the same: every event
 * broadcast to its rooms (and not excluded) after the last one it received, if its session and
 * that event are still kept.
 *
 * Events are kept as JSON, so they must be JSON: ConnectDesk's are (shared/src/events.ts); a binary
 * attachment would come back as a plain object.
 */
import crypto from 'node:crypto';
import { Adapter, type BroadcastOptions, type PrivateSessionId, type Room, type Session } from 'socket.io-adapter';
import { RememberingEncoder } from './remembering-encoder.ts';

/** socket.io-parser's EVENT: the only packets recovery replays (acknowledged and volatile ones are not kept). */
const EVENT = 2;

interface KeptPacket {
  seq: number;
  rooms: Room[];
  except: Room[];
  /**
   * The event as socket.io-parser encoded it to send (`2/nsp,[…]`), outside the JS heap: nothing in
   * it for the garbage collector to mark. Its arguments, as JSON, start at byte `argsAt`.
   */
  text: Buffer;
  argsAt: number;
  at: number;
}

type PersistedSession = Parameters<Adapter['persistSession']>[0] & { disconnectedAt: number };

interface Namespace {
  name: string;
  server: { opts: { connectionStateRecovery?: { maxDisconnectionDuration?: number } }; encoder?: unknown };
}

export class RecoveryAdapter extends Adapter {
  private readonly maxAgeMs: number;
  /** Offsets are `<epoch>.<seq>`: an offset from before a restart (or from another node) never matches. */
  private readonly epoch = crypto.randomBytes(6).toString('base64url');
  private readonly sessions = new Map<PrivateSessionId, PersistedSession>();
  /** Kept packets in `seq` order without gaps; those before `head` are expired, cut off in bulk. */
  private packets: KeptPacket[] = [];
  private head = 0;
  private nextSeq = 0;
  private readonly sweep: NodeJS.Timeout;
  /** The server's encoder when it can keep an encoding for socket.io's own encode (io.ts sets it up). */
  private readonly remembering: RememberingEncoder | null;
  private readonly nspName: string;

  constructor(nsp: Namespace) {
    super(nsp);
    this.nspName = nsp.name;
    this.remembering = nsp.server.encoder instanceof RememberingEncoder ? nsp.server.encoder : null;
    this.maxAgeMs = nsp.server.opts.connectionStateRecovery?.maxDisconnectionDuration ?? 2 * 60_000;
    this.sweep = setInterval(() => this.expire(Date.now()), Math.min(60_000, this.maxAgeMs));
    this.sweep.unref();
  }

  /** Packets kept now (for tests and metrics). */
  get keptPackets(): number {
    return this.packets.length - this.head;
  }

  override broadcast(packet: { type: number; id?: number; nsp?: string; data: unknown[] }, opts: BroadcastOptions): void {
    if (packet.type === EVENT && packet.id === undefined && opts.flags?.volatile === undefined) {
      const now = Date.now();
      const seq = this.nextSeq++;
      // The offset goes last in the event's arguments: the client hands back the last one it saw.
      packet.data.push(`${this.epoch}.${seq}`);
      // As super.broadcast does first: the encoding kept must be the one sent.
      packet.nsp = this.nspName;
      const { text, argsAt } = this.encodeToKeep(packet);
      this.packets.push({ seq, rooms: [...opts.rooms], except: opts.except ? [...opts.except] : [], text: ownBuffer(text), argsAt, at: now });
      this.expirePackets(now);
    }
    super.broadcast(packet, opts);
  }

  /**
   * The packet as it will be sent, which socket.io then takes as its own encoding instead of
   * encoding it again (remembering-encoder.ts); the arguments' JSON alone without that encoder.
   */
  private encodeToKeep(packet: { type: number; nsp?: string; data: unknown[] }): { text: string; argsAt: number } {
    const encoded = this.remembering?.remember(packet as Parameters<RememberingEncoder['remember']>[0]);
    const text: unknown = encoded?.length === 1 ? encoded[0] : undefined;
    // `2`, then `<nsp>,` unless the namespace is `/`, then the arguments (an EVENT has no id).
    const argsAt = 1 + (packet.nsp && packet.nsp !== '/' ? packet.nsp.length + 1 : 0);
    if (typeof text === 'string' && text[argsAt] === '[') return { text, argsAt: Buffer.byteLength(text.slice(0, argsAt)) };
    return { text: JSON.stringify(packet.data), argsAt: 0 };
  }

  override persistSession(session: Parameters<Adapter['persistSession']>[0]): void {
    this.sessions.set(session.pid, { ...session, disconnectedAt: Date.now() });
  }

  override restoreSession(pid: PrivateSessionId, offset: string): Promise<Session> {
    return Promise.resolve(this.restore(pid, offset) as Session);
  }

  override close(): Promise<void> | void {
    clearInterval(this.sweep);
    return super.close();
  }

  private restore(pid: PrivateSessionId, offset: string): Session | null {
    const session = this.sessions.get(pid);
    if (!session) return null;
    if (session.disconnectedAt + this.maxAgeMs < Date.now()) return null;
    const seq = this.seqOf(offset);
    const first = this.packets[this.head]?.seq;
    // The client's last packet must still be kept: otherwise some of what it missed may be gone.
    if (seq === null || first === undefined || seq < first || seq >= this.nextSeq) return null;
    const missedPackets: unknown[][] = [];
    for (let i = this.head + (seq - first) + 1; i < this.packets.length; i++) {
      const p = this.packets[i]!;
      if (reaches(session.rooms, p)) missedPackets.push(JSON.parse(p.text.toString('utf8', p.argsAt)) as unknown[]);
    }
    const { disconnectedAt: _at, ...rest } = session;
    return { ...rest, missedPackets };
  }

  private seqOf(offset: string): number | null {
    if (typeof offset !== 'string' || !offset.startsWith(`${this.epoch}.`)) return null;
    const seq = Number(offset.slice(this.epoch.length + 1));
    return Number.isSafeInteger(seq) ? seq : null;
  }

  /** Sessions and packets past the recovery window (the timer's sweep). */
  private expire(now: number): void {
    this.expirePackets(now);
    const threshold = now - this.maxAgeMs;
    for (const [pid, s] of this.sessions) if (s.disconnectedAt < threshold) this.sessions.delete(pid);
  }

  /** Packets past the recovery window, from the oldest: on every kept packet, so the store stays its window's size. */
  private expirePackets(now: number): void {
    const threshold = now - this.maxAgeMs;
    while (this.head < this.packets.length && this.packets[this.head]!.at < threshold) this.head++;
    // Cut the expired ones off once they are half the array: amortized O(1) per packet.
    if (this.head > 1024 && this.head * 2 > this.packets.length) {
      this.packets = this.packets.slice(this.head);
      this.head = 0;
    }
  }
}

/**
 * The text in a Buffer of its own: `Buffer.from` would take small ones from the shared 8 KB pool,
 * and a kept packet would then keep its whole slab (and whatever else was cut from it) alive.
 */
function ownBuffer(text: string): Buffer {
  const buf = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  buf.write(text);
  return buf;
}

/** Would a socket in `rooms` have received this packet? (socket.io's own rule.) */
function reaches(rooms: Room[], p: KeptPacket): boolean {
  const included = p.rooms.length === 0 || rooms.some((r) => p.rooms.includes(r));
  return included && !rooms.some((r) => p.except.includes(r));
}
