/**
 * The CLI's way to change anything: through the API server (`avlasta serve`), as the signed-in
 * person (`avlasta login`, or an API token in AVLASTA_API_TOKEN). The server then applies the
 * same role, four-eyes and audit rules as to the inbox; the CLI asserts nothing about who it is.
 */
import type { User } from '../server/auth/users.js';
import { CliError } from './cli-error.js';
import { readCredentials } from './credentials.js';

/** Where `avlasta serve` listens by default. */
export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8080';

export interface ApiConnection {
  server: string;
  token?: string;
}

/** AVLASTA_SERVER_URL, else the server of the stored sign-in, else the local default. */
export function serverUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.AVLASTA_SERVER_URL || readCredentials(env)?.server || DEFAULT_SERVER_URL).replace(/\/+$/, '');
}

/** The signed-in connection: AVLASTA_API_TOKEN, else the token `avlasta login` stored. */
export function signedIn(env: NodeJS.ProcessEnv = process.env): Required<ApiConnection> {
  const token = env.AVLASTA_API_TOKEN || readCredentials(env)?.token;
  if (!token) throw new CliError('not signed in: run `avlasta login` (or set AVLASTA_API_TOKEN to an API token)');
  return { server: serverUrl(env), token };
}

/** Calls the API; a refusal or an unreachable server becomes one line naming what to do. */
export async function callApi<T>(
  conn: ApiConnection,
  method: 'GET' | 'POST',
  path: string,
  body?: Record<string, unknown> | FormData,
): Promise<T> {
  const json = body !== undefined && !(body instanceof FormData);
  let res: Response;
  try {
    res = await fetch(`${conn.server}${path}`, {
      method,
      headers: {
        ...(conn.token ? { authorization: `Bearer ${conn.token}` } : {}),
        ...(json ? { 'content-type': 'application/json' } : {}),
        'accept-language': /^sv/i.test(process.env.LANG ?? '') ? 'sv' : 'en',
      },
      body: json ? JSON.stringify(body) : body,
    });
  } catch (err) {
    const why = ((err as Error & { cause?: Error }).cause ?? (err as Error)).message;
    throw new CliError(
      `cannot reach the Avlasta server at ${conn.server} (${why}): is \`avlasta serve\` running there? (set AVLASTA_SERVER_URL, or \`avlasta login --server <url>\`)`,
    );
  }
  if (res.status === 204) return undefined as T;
  const answer = (await res.json().catch(() => undefined)) as
    { error?: { code?: string; message?: string; detail?: string } } | undefined;
  if (res.ok) return answer as T;
  const error = answer?.error;
  const line = `${error?.code ?? `HTTP ${res.status}`}: ${error?.detail ?? error?.message ?? res.statusText}`;
  if (res.status === 401 && error?.code !== 'AVL_ERR_LOGIN_FAILED')
    throw new CliError(`${line} — sign in again with \`avlasta login\` (or set AVLASTA_API_TOKEN)`);
  throw new CliError(line);
}

/** Who the connection acts as, according to the server. */
export async function whoAmI(conn: ApiConnection): Promise<User> {
  return callApi<User>(conn, 'GET', '/api/me');
}

/**
 * `--as` is a check, not a switch: it may only name the signed-in person, so a script that says
 * who it expects to act as stops when someone else is signed in.
 */
export async function checkActingAs(conn: ApiConnection, as: string | undefined): Promise<void> {
  if (as === undefined) return;
  const me = await whoAmI(conn);
  if (me.id !== as)
    throw new CliError(
      `--as ${as}: you are signed in as ${me.id}, and the CLI acts only as the signed-in person (leave out --as, or \`avlasta login --user ${as}\`)`,
    );
}
