/**
 * Who may use the embedded sandbox: its controls (simulated phones, faults, the overview) answer a
 * direct caller on this machine or a signed-in admin of the admin app — with our own Origin for
 * anything but reads, as every cookie request. Its Graph API answers only this server's own
 * client: a direct loopback caller with the per-boot token.
 */
import type { AuthService } from '../../auth/auth-service.ts';
import { NOT_FOR_YOU, isDirectLoopbackCaller, requireDirectLoopback, type SandboxAccess } from '../../sandbox/access.ts';
import { SandboxInputError } from '../../sandbox/errors.ts';
import { SESSION_COOKIE } from '../../auth/session-cookie.ts';
import { isSameOrigin, originFromHeaders } from './auth.ts';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function loopbackOrAdminSession(deps: { auth: Pick<AuthService, 'userForSession'>; publicUrl: string | null }): SandboxAccess {
  return {
    async control(ctx) {
      if (isDirectLoopbackCaller(ctx.req)) return;
      const user = await deps.auth.userForSession(ctx.cookies.get(SESSION_COOKIE));
      if (!user) throw new SandboxInputError(401, 'unauthorized', NOT_FOR_YOU);
      if (user.role !== 'admin') throw new SandboxInputError(403, 'forbidden', 'only admins may use the simulated phones and the sandbox controls');
      if (!READS.has(ctx.method) && !isSameOrigin(ctx, originFromHeaders(ctx.headers), deps.publicUrl)) {
        throw new SandboxInputError(403, 'bad_origin', 'cross-origin request refused');
      }
    },
    graph: requireDirectLoopback('the embedded sandbox’s Graph API answers only this server'),
  };
}
