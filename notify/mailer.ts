/** Mail through the configured SMTP server (nodemailer). */
import nodemailer from 'nodemailer';
import { resolveSecret, type NotificationsConfig } from '../config.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  lang: 'sv' | 'en';
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

export function createMailer(smtp: NonNullable<NotificationsConfig['smtp']>, env = process.env): Mailer {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    auth: smtp.user
      ? { user: smtp.user, pass: smtp.password ? resolveSecret(smtp.password, 'notifications.smtp.password', env) : '' }
      : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    async send(mail) {
      await transport.sendMail({
        from: smtp.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        headers: { 'Content-Language': mail.lang, 'Auto-Submitted': 'auto-generated' },
      });
    },
    close: () => transport.close(),
  };
}
