/**
 * A target system's pages served from a folder, behind a login, for a bot's own tests: the
 * scaffolded `<action>.test.ts` serves the HTML pages `avlasta new` wrote beside it. Any page asked
 * for without the session cookie answers with `login.html`; the login form posts to the page it is
 * on, and the right username and password (`secrets`) set the cookie and send the browser back to
 * that page. `/` is `start.html`, `/<name>` is `<name>.html`.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface FixtureSite {
  url: string;
  /** The username and password the login page accepts: give them to the bot as its secrets. */
  secrets: { username: string; password: string };
  close(): Promise<void>;
}

export async function serveFixture(folder: string | URL): Promise<FixtureSite> {
  const dir = folder instanceof URL ? fileURLToPath(folder) : folder;
  const secrets = { username: 'fixture-user', password: randomUUID() };
  const session = randomUUID();
  const page = async (name: string) => readFile(join(dir, `${name}.html`), 'utf8');
  const server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://fixture').pathname;
      const name = path === '/' ? 'start' : path.slice(1).replace(/[^a-z0-9-]/gi, '');
      const signedIn = (req.headers.cookie ?? '').includes(`fixture-session=${session}`);
      if (req.method === 'POST' && !signedIn) {
        const form = new URLSearchParams(await body(req));
        if (form.get('username') === secrets.username && form.get('password') === secrets.password) {
          res.writeHead(303, { location: path, 'set-cookie': `fixture-session=${session}; Path=/; HttpOnly` });
          return res.end();
        }
        const refused = (await page('login')).replace(
          '<!-- refused -->',
          '<p role="alert">Wrong username or password</p>',
        );
        return send(res, 200, refused);
      }
      send(res, 200, await page(signedIn ? name : 'login'));
    })().catch(() => send(res, 404, '<!doctype html><title>Not found</title><h1>Not found</h1>'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    secrets,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function send(res: import('node:http').ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(html);
}

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}
