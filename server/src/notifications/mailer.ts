/**
 * Sending e-mail over SMTP (nodemailer), configured by SMTP_URL and SMTP_FROM. Plain text only:
 * what customers wrote is quoted in the body, and text cannot carry markup into an agent's mail
 * client. Header values are stripped of line breaks and control characters first.
 */
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export interface SmtpConfig {
  /** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465 (TLS); nodemailer options as query. */
  url: string;
  /** "ConnectDesk <desk@example.com>" */
  from: string;
}

/** One line, no control characters, at most `max` characters. */
export function headerText(value: string, max = 200): string {
  return (
    value
      // eslint-disable-next-line no-control-regex -- control characters are what a header must not carry
      .replace(/[\u0000-\u001f\u007f]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, max)
  );
}

export function createSmtpMailer(config: SmtpConfig): Mailer {
  // `url` is parsed by nodemailer (host, port, user, password, TLS, query options); the timeouts keep
  // a dead SMTP server from holding a send for minutes.
  const transport = nodemailer.createTransport(
    { url: config.url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 },
    { from: config.from },
  );
  return {
    async send(mail) {
      await transport.sendMail({ to: mail.to, subject: headerText(mail.subject), text: mail.text });
    },
    close() {
      transport.close();
    },
  };
}
