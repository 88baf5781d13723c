/**
 * The simulated Graph API under `/sandbox/graph/{version}/...`. Graph routes by object id, so this
 * dispatches on what the first path segment names (the phone number, the WABA, a media id,
 * `debug_token`) and the edge after it. Order per call: injected fault → bearer token → route.
 */
import type { Context } from 'koa';
import type { SandboxContext } from './context.ts';
import { metaErrors } from './errors.ts';
import { applyFault } from './faults.ts';
import { debugToken, getBusinessProfile, getPhoneNumber, deleteSubscribedApps, getSubscribedApps, getWaba, postSubscribedApps } from './graph-account.ts';
import { deleteMedia, getMediaInfo, uploadMedia } from './graph-media.ts';
import { postMessages } from './graph-messages.ts';
import { listTemplates } from './graph-templates.ts';

export const GRAPH_PREFIX = '/sandbox/graph/';
type Handler = (ctx: Context, sb: SandboxContext) => void | Promise<void>;

export function bearerCheck(sb: SandboxContext): (ctx: Context) => void {
  return (ctx) => {
    const header = ctx.get('authorization');
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const token = m?.[1] ?? (typeof ctx.query.access_token === 'string' ? ctx.query.access_token : '');
    if (!token) throw metaErrors.missingToken();
    const expiredAt = sb.faults.expiredAt(token);
    if (expiredAt !== null) throw metaErrors.tokenExpired(new Date(expiredAt), new Date(sb.now()));
    if (sb.accessToken !== null && token !== sb.accessToken) throw metaErrors.badToken();
  };
}

export async function handleGraph(ctx: Context, sb: SandboxContext, opts: { faultHoldMs: number }): Promise<void> {
  const fault = sb.faults.take();
  if (fault) return applyFault(ctx, fault, { holdMs: opts.faultHoldMs, stopSignal: sb.stopSignal });
  bearerCheck(sb)(ctx);

  const [version, ...segments] = ctx.path.slice(GRAPH_PREFIX.length).split('/').filter(Boolean);
  if (!version || !/^v\d+\.\d+$/.test(version)) throw metaErrors.unknownPath(ctx.path.slice(GRAPH_PREFIX.length - 1));
  const handler = route(ctx.method, segments, sb);
  if (handler === 'unknown') throw metaErrors.unknownPath(`/${segments.join('/')}`);
  if (handler === 'unsupported') throw metaErrors.unsupportedRequest(ctx.method, segments[0] ?? '');
  await handler(ctx, sb);
}

function route(method: string, segments: string[], sb: SandboxContext): Handler | 'unknown' | 'unsupported' {
  const [id, edge, ...rest] = segments;
  if (!id || rest.length > 0) return 'unknown';
  const get = method === 'GET';
  const post = method === 'POST';

  if (id === 'debug_token') return !edge && get ? debugToken : 'unsupported';
  if (id === sb.business.phoneNumberId) {
    if (!edge) return get ? getPhoneNumber : 'unsupported';
    if (edge === 'messages') return post ? postMessages : 'unsupported';
    if (edge === 'media') return post ? uploadMedia : 'unsupported';
    if (edge === 'whatsapp_business_profile') return get ? getBusinessProfile : 'unsupported';
    return 'unknown';
  }
  if (id === sb.business.wabaId) {
    if (!edge) return get ? getWaba : 'unsupported';
    if (edge === 'message_templates') return get ? listTemplates : 'unsupported';
    if (edge === 'subscribed_apps') return get ? getSubscribedApps : post ? postSubscribedApps : method === 'DELETE' ? deleteSubscribedApps : 'unsupported';
    return 'unknown';
  }
  if (!edge && sb.state.getMedia(id)) {
    if (get) return (ctx, s) => getMediaInfo(ctx, s, id);
    if (method === 'DELETE') return (ctx, s) => deleteMedia(ctx, s, id);
  }
  return 'unsupported';
}
