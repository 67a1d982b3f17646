/**
 * Bygglovssystemet, a small stand-in for a city's legacy web system, for the tutorial
 * (docs/AUTHORING.md): a login whose sessions expire after a short idle time, a list of fees that
 * loads a moment after its page, and a form that registers a fee. Fees live in memory.
 *
 *   npx tsx legacy-app.ts            (port 4300, user "robot", password from BYGGLOV_PASSWORD)
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface Fee {
  feeNumber: string;
  caseNumber: string;
  amount: number;
  reference: string;
}

export interface LegacyApp {
  url: string;
  fees: Fee[];
  close(): Promise<void>;
}

const page = (title: string, body: string) =>
  `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// The login form sends the browser back to the page it asked for (`next`).
const loginPage = (next: string, refused = false) =>
  page(
    'Logga in',
    `${refused ? '<p role="alert">Fel användarnamn eller lösenord</p>' : ''}
<form method="post" action="/login">
  <input type="hidden" name="next" value="${esc(next)}">
  <label>Användarnamn <input name="username"></label>
  <label>Lösenord <input name="password" type="password"></label>
  <button>Logga in</button>
</form>`,
  );

// The list arrives a moment after its page, as in many older systems: a bot waits for it.
const listPage = () =>
  page(
    'Avgifter',
    `<p role="status">Hämtar…</p><table aria-label="Avgifter"><thead><tr><th>Avgiftsnummer</th><th>Ärende</th><th>Belopp</th><th>Referens</th></tr></thead><tbody></tbody></table>
<script>
setTimeout(async () => {
  const fees = await (await fetch('/api/avgifter')).json();
  document.querySelector('tbody').innerHTML = fees.map((f) =>
    '<tr><td>' + f.feeNumber + '</td><td>' + f.caseNumber + '</td><td>' + f.amount + '</td><td>' + f.reference + '</td></tr>').join('');
  document.querySelector('[role=status]').textContent = fees.length + ' avgifter';
}, 400);
</script>`,
  );

const formPage = (error = '') =>
  page(
    'Ny avgift',
    `${error ? `<p role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/avgifter/ny">
  <label>Ärendenummer <input name="caseNumber"></label>
  <label>Belopp (kr) <input name="amount"></label>
  <label>Referens <input name="reference"></label>
  <button>Registrera</button>
</form>`,
  );

export async function startLegacyApp(opts: {
  port?: number;
  password: string;
  /** Idle time after which a session is gone. @defaultValue 20 s */
  sessionIdleMs?: number;
}): Promise<LegacyApp> {
  const idleMs = opts.sessionIdleMs ?? 20_000;
  const sessions = new Map<string, number>();
  const fees: Fee[] = [];
  const server = createServer((req, res) => void handle(req, res).catch(() => send(res, 500, page('Fel', ''))));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://bygglov');
    const sid = /bygglov=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1];
    const alive = sid !== undefined && (sessions.get(sid) ?? 0) > Date.now();
    if (req.method === 'POST' && url.pathname === '/login') {
      const form = new URLSearchParams(await body(req));
      if (form.get('username') !== 'robot' || form.get('password') !== opts.password)
        return send(res, 200, loginPage(form.get('next') ?? '/', true));
      const id = randomUUID();
      sessions.set(id, Date.now() + idleMs);
      const next = form.get('next') ?? '/';
      return redirect(res, /^\/(?!\/)/.test(next) ? next : '/', `bygglov=${id}; Path=/; HttpOnly`);
    }
    if (!alive) return send(res, 200, loginPage(url.pathname + url.search));
    sessions.set(sid, Date.now() + idleMs);
    if (url.pathname === '/') return send(res, 200, page('Bygglov', '<a href="/avgifter">Avgifter</a>'));
    if (url.pathname === '/api/avgifter') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify(fees));
    }
    if (url.pathname === '/avgifter') return send(res, 200, listPage());
    if (url.pathname === '/avgifter/ny' && req.method !== 'POST') return send(res, 200, formPage());
    if (url.pathname === '/avgifter/ny') {
      const form = new URLSearchParams(await body(req));
      const caseNumber = form.get('caseNumber')?.trim() ?? '';
      const amount = Number(form.get('amount'));
      if (!/^BL-\d+$/.test(caseNumber)) return send(res, 200, formPage('Ärendenummer ska se ut som BL-123'));
      if (!Number.isFinite(amount) || amount <= 0) return send(res, 200, formPage('Beloppet ska vara större än 0'));
      const fee = { feeNumber: `AV-${1000 + fees.length}`, caseNumber, amount, reference: form.get('reference') ?? '' };
      fees.push(fee);
      return send(res, 200, page('Avgift registrerad', `<p>Avgiftsnummer: <output>${fee.feeNumber}</output></p>`));
    }
    send(res, 404, page('Sidan finns inte', ''));
  }

  await new Promise<void>((resolve) => server.listen(opts.port ?? 4300, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    fees,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(html);
}

function redirect(res: ServerResponse, location: string, cookie: string): void {
  res.writeHead(303, { location, 'set-cookie': cookie });
  res.end();
}

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const password = process.env.BYGGLOV_PASSWORD;
  if (!password) throw new Error('set BYGGLOV_PASSWORD to the password the robot user logs in with');
  const app = await startLegacyApp({ port: Number(process.env.PORT ?? 4300), password });
  console.log(`Bygglovssystemet on ${app.url} (user "robot")`);
}
