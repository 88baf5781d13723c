/**
 * The backstop for access that ends where no socket room hears of it — `pnpm connectdesk
 * reset-password` on a running server, a session that expires while its socket stays open:
 * every `intervalMs` each node asks the database, in one query per 500 sockets, which of its
 * admin sockets' sessions still grant access, and disconnects the rest. So a socket outlives its
 * session by at most one interval (10 s by default); sign-out, removal and role or password
 * changes made through the server disconnect at once without waiting for it.
 */
import type { Namespace } from 'socket.io';
import type { Logger } from '../logger.ts';
import type { AdminSocket } from './admin-namespace.ts';

const SESSION_SWEEP_MS = 10_000;

export interface SessionSweepDeps {
  nsp: Namespace;
  validSessions: (sessionIds: readonly string[]) => Promise<Set<string>>;
  logger: Logger;
  intervalMs?: number;
}

export interface SessionSweep {
  /** One pass now; resolves with how many sockets it disconnected. */
  sweep(): Promise<number>;
  stop(): void;
}

export function startSessionSweep(deps: SessionSweepDeps): SessionSweep {
  let running: Promise<number> | null = null;

  async function pass(): Promise<number> {
    const sockets = [...deps.nsp.sockets.values()] as AdminSocket[];
    const ids = [...new Set(sockets.map((s) => s.data.sessionId).filter((id): id is string => typeof id === 'string'))];
    if (ids.length === 0) return 0;
    const valid = await deps.validSessions(ids);
    let ended = 0;
    for (const socket of sockets) {
      if (socket.connected && !valid.has(socket.data.sessionId)) {
        socket.disconnect(true);
        ended++;
      }
    }
    return ended;
  }

  const sweep = (): Promise<number> => {
    running ??= pass().finally(() => {
      running = null;
    });
    return running;
  };

  const timer = setInterval(() => {
    sweep().catch((err: unknown) => deps.logger.warn({ err }, 'admin session sweep failed; trying again next interval'));
  }, deps.intervalMs ?? SESSION_SWEEP_MS);
  timer.unref();

  return {
    sweep,
    stop: () => clearInterval(timer),
  };
}
