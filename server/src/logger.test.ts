import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

/** Log lines as one string (the body-hygiene tests). */
function captureText() {
  let out = '';
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString('utf8');
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), text: () => out };
}

/** Log lines one by one (the format tests). */
function capture(): { stream: PassThrough; lines: () => string[] } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString('utf8')));
  return { stream, lines: () => text.split('\n').filter(Boolean) };
}

describe('logger', () => {
  it('never logs the raw request body a body parser attaches to its error', () => {
    const { logger, text } = captureText();
    const err = Object.assign(new SyntaxError('Object contains forbidden prototype property'), {
      status: 400,
      body: '{"__proto__":{},"email":"a@example.com","password":"s3cret-in-a-body"}',
      rawBody: 'password=s3cret-in-a-raw-body',
    });
    logger.error({ err }, 'unhandled error');
    logger.error(err);
    const lines = text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line.err).toMatchObject({ type: 'SyntaxError', message: 'Object contains forbidden prototype property', status: 400 });
      expect(line.err).not.toHaveProperty('body');
      expect(line.err).not.toHaveProperty('rawBody');
    }
    expect(text()).not.toContain('s3cret');
  });

  it('redacts passwords and tokens in structured fields', () => {
    const { logger, text } = captureText();
    logger.info({ user: { password: 'pw-value', token: 'tok-value' }, headers: { authorization: 'Bearer abc', cookie: 'cd_session=xyz' } }, 'x');
    expect(text()).not.toMatch(/pw-value|tok-value|Bearer abc|cd_session=xyz/);
  });
});

describe('createLogger', () => {
  it('writes one JSON object per line by default, secrets redacted', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', destination: out.stream });
    logger.info({ port: 3000, password: 'hunter22' }, 'ConnectDesk is ready');
    logger.debug('below the level');
    const lines = out.lines();
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 30, port: 3000, password: '[redacted]', msg: 'ConnectDesk is ready' });
    expect(entry.time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('writes readable lines when pretty: time, level name, message, then the fields — secrets still redacted', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', pretty: true, colorize: false, destination: out.stream });
    logger.warn({ port: 3000, password: 'hunter22' }, 'ConnectDesk is ready');
    logger.debug('below the level');
    const lines = out.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: ConnectDesk is ready \{"port":3000,"password":"\[redacted\]"\}$/);
    expect(lines[0]).not.toContain('hunter22');
  });

  it('colours pretty lines for a terminal unless told not to', () => {
    const out = capture();
    createLogger({ level: 'info', pretty: true, destination: out.stream }).error('boom');
    expect(out.lines()[0]).toContain('\u001b[');
  });
});
