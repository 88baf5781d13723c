/**
 * A real SMTP server for tests (the `smtp-server` package) that requires AUTH and keeps every
 * message it accepts, parsed with `mailparser`: what a mail relay would receive from ConnectDesk.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { waitFor } from './server.ts';

export interface ReceivedMail {
  /** The envelope recipients (RCPT TO). */
  rcptTo: string[];
  from: string;
  to: string[];
  subject: string;
  text: string;
}

export interface SmtpSink {
  /** smtp://user:password@127.0.0.1:port — what SMTP_URL gets. */
  url: string;
  mails: ReceivedMail[];
  /** How many AUTH attempts failed (a wrong password never delivers). */
  failedLogins: number;
  waitForMail(match: (m: ReceivedMail) => boolean, timeout?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

const USER = 'desk';
const PASSWORD = 'smtp-secret-123';

export async function startSmtpSink(): Promise<SmtpSink> {
  const sink: SmtpSink = {
    url: '',
    mails: [],
    failedLogins: 0,
    waitForMail: (match, timeout = 20_000) => waitFor(() => sink.mails.find(match), { timeout, interval: 50, message: 'mail' }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    // Plain SMTP on loopback with AUTH (as many relays inside a private network run).
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASSWORD) return callback(null, { user: USER });
      sink.failedLogins++;
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          const list = (v: unknown) => (Array.isArray(v) ? v : v ? [v] : []) as { value: { address?: string }[] }[];
          sink.mails.push({
            rcptTo: session.envelope.rcptTo.map((r) => r.address),
            from: parsed.from?.value[0]?.address ?? '',
            to: list(parsed.to).flatMap((a) => a.value.map((v) => v.address ?? '')),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
          });
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  sink.url = `smtp://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  return sink;
}
