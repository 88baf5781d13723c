/**
 * Security headers for everything we serve; HSTS over HTTPS; the admin app also gets a strict CSP
 * (unless the route set its own, as stored media does).
 */
import type { Middleware } from 'koa';

const ADMIN_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self' ws: wss:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** One year; sent only on HTTPS responses, where a browser honours it (RFC 6797 §7.2). */
const HSTS = 'max-age=31536000';

export function securityHeaders(): Middleware {
  return async (ctx, next) => {
    await next();
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'strict-origin-when-cross-origin');
    // ctx.secure: TLS on this socket, or X-Forwarded-Proto: https from a trusted proxy (TRUST_PROXY).
    if (ctx.secure) ctx.set('Strict-Transport-Security', HSTS);
    if (ctx.path === '/admin' || ctx.path.startsWith('/admin/')) {
      // A response with a policy of its own keeps it: stored media is served sandboxed.
      if (!ctx.response.get('Content-Security-Policy')) ctx.set('Content-Security-Policy', ADMIN_CSP);
      ctx.set('X-Frame-Options', 'DENY');
      if (!ctx.get('Cache-Control') && ctx.path.startsWith('/admin/api/')) ctx.set('Cache-Control', 'no-store');
    }
  };
}
