import type SMTPConnection from 'nodemailer/lib/smtp-connection';

export interface SmtpServerOptions {
  connection: SMTPConnection.Options;
  auth?: { user: string; pass: string };
}

/**
 * `smtp://user:pass@host:port` (plain, upgraded with STARTTLS when the server offers it) or
 * `smtps://...` (TLS from the first byte). User and password are percent-decoded.
 */
export function parseSmtpUrl(raw: string, timeoutMs: number): SmtpServerOptions {
  const url = new URL(raw);
  const secure = url.protocol === 'smtps:';
  const connection: SMTPConnection.Options = {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  };
  const user = decodeURIComponent(url.username);
  return user ? { connection, auth: { user, pass: decodeURIComponent(url.password) } } : { connection };
}
