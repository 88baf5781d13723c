/** Security headers for everything we serve; the admin app also gets a strict CSP. */
import type { Middleware } from 'koa';

export const ADMIN_CSP = [
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

export function securityHeaders(): Middleware {
  return async (ctx, next) => {
    await next();
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'strict-origin-when-cross-origin');
    if (ctx.path === '/admin' || ctx.path.startsWith('/admin/')) {
      ctx.set('Content-Security-Policy', ADMIN_CSP);
      ctx.set('X-Frame-Options', 'DENY');
      if (!ctx.get('Cache-Control') && ctx.path.startsWith('/admin/api/')) ctx.set('Cache-Control', 'no-store');
    }
  };
}
