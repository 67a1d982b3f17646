/**
 * A Playwright trace records every action's arguments, every DOM snapshot and every request: the
 * target system's password as the bot typed it and posted it, its session cookie, and each
 * personnummer on the pages. A kept trace is for ops to see what the bot did, which needs none of
 * those, so before it is kept: every value of the system's secrets is replaced (as typed, URL- and
 * form-encoded, JSON- and HTML-escaped, hex), Cookie, Set-Cookie and Authorization header values
 * are replaced, and personnummer are masked with the one rule (audit/mask.ts). The trace stays a
 * trace that opens in `npx playwright show-trace`.
 */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import JSZip from 'jszip';
import { maskString } from '../audit/mask.js';

const REDACTED = '[redacted]';
const utf8 = new TextDecoder('utf-8', { fatal: true });
const sensitiveHeader =
  /("name"\s*:\s*"(?:cookie|set-cookie|authorization|proxy-authorization)"\s*,\s*"value"\s*:\s*")((?:[^"\\]|\\.)*)"/gi;

/** Every way a secret's characters may appear in a trace's text. */
function spellings(secret: string): string[] {
  const forms = new Set([
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
    secret.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`),
    secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'),
    Buffer.from(secret).toString('hex'),
    Buffer.from(secret).toString('base64'),
  ]);
  // Longest first, so a secret is not half-replaced by a shorter spelling of itself.
  return [...forms].filter((f) => f.length > 0).sort((a, b) => b.length - a.length);
}

export function redactText(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) for (const form of spellings(secret)) out = out.split(form).join(REDACTED);
  return maskString(out.replace(sensitiveHeader, `$1${REDACTED}"`));
}

/** Bytes that are not UTF-8 (images, fonts) still lose any secret written in them byte for byte. */
function redactBytes(bytes: Buffer, secrets: string[]): Buffer {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    let out = bytes.toString('latin1');
    for (const secret of secrets)
      for (const form of spellings(secret)) out = out.split(Buffer.from(form).toString('latin1')).join(REDACTED);
    return Buffer.from(out, 'latin1');
  }
  return Buffer.from(redactText(text, secrets));
}

/** Rewrites the trace zip at `path` in place, redacted; owner-readable only. */
export async function redactTrace(path: string, secrets: string[]): Promise<void> {
  const zip = await JSZip.loadAsync(await readFile(path));
  const out = new JSZip();
  for (const [name, file] of Object.entries(zip.files)) {
    if (file.dir) continue;
    out.file(name, redactBytes(await file.async('nodebuffer'), secrets));
  }
  await writeFile(path, await out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  await chmod(path, 0o600);
}
