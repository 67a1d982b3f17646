/** A real SMTP server (smtp-server) and webhook receiver on loopback for the notifier tests; mails parsed with mailparser. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface MailCatcher {
  port: number;
  mails: ParsedMail[];
  /** Mails to this address, in arrival order. */
  to(address: string): ParsedMail[];
  close(): Promise<void>;
}

export async function startMailCatcher(): Promise<MailCatcher> {
  const mails: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          mails.push(mail);
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    to: (address) => mails.filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((t) => t?.text.includes(address))),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface HookCatcher {
  url: string;
  calls: { headers: Record<string, string | string[] | undefined>; body: string }[];
  /** Answer with this status from now on. */
  status: number;
  close(): Promise<void>;
}

export async function startHookCatcher(): Promise<HookCatcher> {
  const catcher: HookCatcher = { url: '', calls: [], status: 200, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      catcher.calls.push({ headers: req.headers, body });
      res.writeHead(catcher.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  catcher.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  catcher.close = () => new Promise((resolve) => server.close(() => resolve()));
  return catcher;
}
