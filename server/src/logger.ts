/**
 * The one logger module. Secrets are redacted wherever they appear in structured fields.
 * Lines are JSON (one object per line, for log shippers) unless `pretty` is set — main passes
 * `pretty` when stdout is a terminal, so a person running `pnpm start` reads plain lines while the
 * same server piped or under a supervisor still writes JSON.
 */
import { pino, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';

export type { Logger };

const REDACT_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'access_token',
  '*.access_token',
  'appSecret',
  '*.appSecret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.cookie',
  '*.headers.authorization',
  'res.headers["set-cookie"]',
];

/** Errors as pino logs them, minus what some libraries attach: the raw request body. */
function errSerializer(err: Error): Record<string, unknown> {
  const out = pino.stdSerializers.err(err) as unknown as Record<string, unknown>;
  delete out.body;
  delete out.rawBody;
  return out;
}

export interface LoggerOptions {
  level: string;
  /** Human-readable lines (time, level, message, then the fields) instead of JSON. */
  pretty?: boolean;
  /** Where lines go (stdout by default). */
  destination?: NodeJS.WritableStream;
  /** Colour the pretty lines (defaults to `pretty`: a terminal). */
  colorize?: boolean;
}

export function createLogger(opts: LoggerOptions): Logger {
  const options: pino.LoggerOptions = {
    level: opts.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: errSerializer },
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (!opts.pretty) return pino(options, opts.destination as pino.DestinationStream | undefined);
  // In this thread and synchronous: a terminal reader gets every line, even the last before exit.
  const pretty = pinoPretty({
    colorize: opts.colorize ?? true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
    singleLine: true,
    sync: true,
    destination: opts.destination ?? 1,
  });
  return pino(options, pretty);
}

/** Replace bearer tokens and long secrets that may sit inside free text (error messages, URLs). */
export function redactText(text: string): string {
  return text
    .replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, '$1[redacted]')
    .replace(/(access_token=)[^&\s]+/gi, '$1[redacted]')
    .replace(/\bEAA[A-Za-z0-9]{20,}\b/g, '[redacted]');
}
