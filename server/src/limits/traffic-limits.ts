/**
 * Every per-address limit on visitor and socket traffic, with its default, in one place (SECURITY.md
 * lists them). Addresses are client addresses (http/client-address.ts), never a client-chosen
 * token; per-visitor and per-socket limits do the fine-grained work, and the per-address ones are
 * fair (limits/fair-limit.ts) so one client cannot lock out the others behind the same address.
 */
import { AppError } from '../errors.ts';
import { FairLimit, type FairLimitSettings } from './fair-limit.ts';
import type { Limiter, LimiterFactory } from './limiter-factory.ts';

export interface TrafficLimitSettings {
  /** socket.io handshakes on /visitor and /admin; identity = a known visitor or a signed-in agent. */
  connections: FairLimitSettings;
  /** New visitor identities per address: handshakes without a known token, HTTP messages and files without one. */
  newVisitorsPerAddress: number;
  /** Visitor messages, over the socket and `POST /api/messages`; identity = the visitor. */
  messages: FairLimitSettings;
  /** Visitor files (`POST /api/messages/attachments`) once read; identity = the visitor. */
  attachments: FairLimitSettings;
  /** Visitor file uploads per address, counted before the body is read (so it cannot know the visitor). */
  uploadsPerAddress: number;
  /** Visitor `history` requests; identity = the socket. */
  history: FairLimitSettings;
  /** Visitor `identify` events; identity = the socket. */
  identify: FairLimitSettings;
  /** Least time between two "typing on" of one visitor that reach the agents. */
  typingGapMs: number;
}

const MINUTE = 60;

const DEFAULT_TRAFFIC_LIMITS: TrafficLimitSettings = Object.freeze({
  connections: { perAddress: 240, perIdentity: 30, fairShare: 10, overflow: 600, windowSeconds: MINUTE },
  newVisitorsPerAddress: 120,
  messages: { perAddress: 120, perIdentity: 30, fairShare: 6, overflow: 600, windowSeconds: MINUTE },
  attachments: { perAddress: 20, perIdentity: 10, fairShare: 3, overflow: 40, windowSeconds: MINUTE },
  uploadsPerAddress: 60,
  history: { perAddress: 240, perIdentity: 20, fairShare: 5, overflow: 600, windowSeconds: MINUTE },
  identify: { perAddress: 120, perIdentity: 10, fairShare: 3, overflow: 300, windowSeconds: MINUTE },
  typingGapMs: 3_000,
});

/**
 * The defaults with every per-address count multiplied by `perAddress` (VISITOR_LIMITS_PER_ADDRESS,
 * for sites whose visitors share few addresses: a campus, a carrier-grade NAT) and, when given, the
 * messages one visitor may send a minute (VISITOR_MESSAGES_PER_MINUTE). Every other per-visitor and
 * per-socket limit stays as it is.
 */
export function trafficLimitSettings(opts: { perAddress?: number; visitorMessagesPerMinute?: number } = {}): TrafficLimitSettings {
  const factor = opts.perAddress ?? 1;
  const d = DEFAULT_TRAFFIC_LIMITS;
  if (factor === 1 && (opts.visitorMessagesPerMinute ?? d.messages.perIdentity) === d.messages.perIdentity) return d;
  const fair = (f: FairLimitSettings): FairLimitSettings => ({ ...f, perAddress: f.perAddress * factor, overflow: f.overflow * factor });
  return Object.freeze({
    ...d,
    connections: fair(d.connections),
    newVisitorsPerAddress: d.newVisitorsPerAddress * factor,
    messages: { ...fair(d.messages), perIdentity: opts.visitorMessagesPerMinute ?? d.messages.perIdentity },
    attachments: fair(d.attachments),
    uploadsPerAddress: d.uploadsPerAddress * factor,
    history: fair(d.history),
    identify: fair(d.identify),
  });
}

export class TrafficLimits {
  readonly connections: FairLimit;
  readonly newVisitors: Limiter;
  readonly messages: FairLimit;
  readonly attachments: FairLimit;
  readonly uploads: Limiter;
  readonly history: FairLimit;
  readonly identify: FairLimit;

  constructor(
    limiters: LimiterFactory,
    readonly settings: TrafficLimitSettings = DEFAULT_TRAFFIC_LIMITS,
  ) {
    this.connections = new FairLimit('connections', settings.connections, limiters);
    this.newVisitors = limiters({ name: 'new-visitors', points: settings.newVisitorsPerAddress, windowSeconds: MINUTE });
    this.messages = new FairLimit('messages', settings.messages, limiters);
    this.attachments = new FairLimit('attachments', settings.attachments, limiters);
    this.uploads = limiters({ name: 'uploads', points: settings.uploadsPerAddress, windowSeconds: MINUTE });
    this.history = new FairLimit('history', settings.history, limiters);
    this.identify = new FairLimit('identify', settings.identify, limiters);
  }
}

/** A refusal as the one error model has it: 429 `rate_limited` with `retry_after` (seconds). */
export function rateLimitedError(message: string, retryAfterSeconds: number): AppError {
  return new AppError('rate_limited', message, { retry_after: retryAfterSeconds });
}
