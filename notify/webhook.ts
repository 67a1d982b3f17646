/**
 * A JSON POST for Teams/Slack-style receivers (or the city's own integration), signed so the
 * receiver can tell it came from Avlasta and was not replayed: `X-Avlasta-Signature: sha256=<hex>`
 * is HMAC-SHA256 with the shared secret over `<X-Avlasta-Timestamp>.<body>`.
 */
import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-avlasta-signature';
export const TIMESTAMP_HEADER = 'x-avlasta-timestamp';

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export async function postWebhook(
  url: string,
  secret: string,
  event: Record<string, unknown>,
  now = Date.now(),
): Promise<void> {
  const body = JSON.stringify(event);
  const timestamp = String(Math.floor(now / 1000));
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [TIMESTAMP_HEADER]: timestamp,
      [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
    },
    body,
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) throw new Error(`notification webhook answered HTTP ${res.status}`);
}
