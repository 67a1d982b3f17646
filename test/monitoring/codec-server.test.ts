/**
 * The codec server over the real engine: payloads read raw from Temporal's history (as the
 * Temporal UI gets them) decoded for people whose roles may see item data, refused to others,
 * personal identity numbers masked unless the role allows them, every decode in the audit log,
 * CORS only for the configured Temporal UI origin. The Temporal UI itself in Chromium:
 * codec-temporal-ui.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attestCsv,
  signIn,
  startAttestRun,
  startServer,
  waitForApproval,
  type ServerHarness,
} from '../server/server-harness.js';

const UI = 'http://127.0.0.1:8233';
let h: ServerHarness;
let cookies: Record<string, string>;
let input: { metadata: Record<string, string>; data: string };
let runId: string;
let itemKey: string;

/** A payload as the history API returns it (@temporalio/proto's IPayload). */
type RawPayload = { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null };
const toJson = (p: RawPayload) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? []).toString('base64'),
});
const text = (p: { data?: string }) => Buffer.from(p.data ?? '', 'base64').toString('utf8');

beforeAll(async () => {
  h = await startServer({ configExtra: { codec: { personalDataRoles: ['dataskydd'] } } });
  cookies = {};
  for (const id of ['olle', 'greta', 'ada', 'dina']) cookies[id] = (await signIn(h.app, id)).session!.cookie;
  runId = await startAttestRun(h, attestCsv('Kalle Kula'));
  const approval = (await h.engine.stores.approvals.get(await waitForApproval(h, runId)))!;
  itemKey = approval.itemKey;
  // The item workflow's input, exactly as Temporal stores it (and as the UI sends it).
  const history = await h.engine.client.workflowService.getWorkflowExecutionHistory({
    namespace: h.engine.config.temporal.namespace,
    execution: { workflowId: approval.itemWorkflowId },
  });
  const started = history.history!.events![0]!.workflowExecutionStartedEventAttributes!;
  input = toJson(started.input!.payloads![0]!);
});
afterAll(async () => h?.stop());

const decode = (who: string | undefined, body: unknown = { payloads: [input] }, origin = UI) =>
  h.app.inject({
    method: 'POST',
    url: '/codec/decode',
    headers: {
      'content-type': 'application/json',
      'x-namespace': 'default',
      origin,
      ...(who ? { cookie: cookies[who] } : {}),
    },
    payload: JSON.stringify(body),
  });

describe('codec server', () => {
  it('decodes an item input for ops with the personnummer masked, and audits who saw which item', async () => {
    expect(Buffer.from(input.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
    expect(text(input)).not.toContain('Kalle Kula');
    const res = await decode('olle');
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(UI);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    const [out] = (res.json() as { payloads: { metadata: Record<string, string>; data: string }[] }).payloads;
    expect(Buffer.from(out!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    const decoded = JSON.parse(text(out!)) as { item: { key: string; data: Record<string, unknown> } };
    expect(decoded.item.key).toBe(itemKey);
    expect(decoded.item.data).toMatchObject({ payee: 'Kalle Kula', pnr: '19811218-****' });
    expect(text(out!)).not.toContain('9876');

    const viewed = (await h.engine.stores.audit.query({ runId })).filter((e) => e.event === 'payload.viewed');
    expect(viewed).toHaveLength(1);
    expect(viewed[0]).toMatchObject({
      actor: { kind: 'user', id: 'olle' },
      automationId: 'server-attest',
      itemKey,
      details: { namespace: 'default', via: 'temporal-ui-codec', personalData: 'masked' },
    });
    expect((viewed[0]!.details.payloads as string[])[0]).toMatch(/^[0-9a-f]{16}$/);
  });

  it('shows the personnummer to a role allowed to see it, and says so in the audit entry', async () => {
    const res = await decode('dina');
    expect(res.statusCode).toBe(200);
    expect(text((res.json() as { payloads: { data: string }[] }).payloads[0]!)).toContain('19811218-9876');
    const viewed = (await h.engine.stores.audit.query({ runId })).filter((e) => e.event === 'payload.viewed');
    expect(viewed.at(-1)).toMatchObject({ actor: { id: 'dina' }, details: { personalData: 'shown' } });
  });

  it('lets auditors decode, refuses people without the role (403) and anonymous callers (401)', async () => {
    expect((await decode('ada')).statusCode).toBe(200);
    const refused = await decode('greta');
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: { code: 'AVL_ERR_FORBIDDEN' } });
    expect(refused.body).not.toContain('Kalle');
    const anonymous = await decode(undefined);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ error: { code: 'AVL_ERR_UNAUTHENTICATED' } });
    const viewers = (await h.engine.stores.audit.query({ runId }))
      .filter((e) => e.event === 'payload.viewed')
      .map((e) => e.actor.id);
    expect(viewers).toEqual(['olle', 'dina', 'ada']);
  });

  it('answers the preflight of the Temporal UI origin only, and refuses other origins', async () => {
    const preflight = await h.app.inject({
      method: 'OPTIONS',
      url: '/codec/decode',
      headers: {
        origin: UI,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(UI);
    expect(preflight.headers['access-control-allow-headers']).toContain('x-namespace');
    const evil = await h.app.inject({
      method: 'OPTIONS',
      url: '/codec/decode',
      headers: { origin: 'http://127.0.0.1:6666', 'access-control-request-method': 'POST' },
    });
    expect(evil.statusCode).toBe(403);
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const post = await decode('olle', undefined, 'http://127.0.0.1:6666');
    expect(post.statusCode).toBe(403);
    expect(post.body).not.toContain('Kalle');
  });

  it('passes payloads that are not encrypted through unchanged without an audit entry', async () => {
    const before = (await h.engine.stores.audit.query({})).length;
    const plain = {
      metadata: { encoding: Buffer.from('json/plain').toString('base64') },
      data: Buffer.from('"hej"').toString('base64'),
    };
    const res = await decode('olle', { payloads: [plain] });
    expect(res.json()).toEqual({ payloads: [plain] });
    expect((await h.engine.stores.audit.query({})).length).toBe(before);
    expect((await decode('olle', { payloads: [{ data: 'not base64!' }] })).statusCode).toBe(400);
  });

  it('encodes for ops (the UI sending a signal) so the workers can read it; others are refused', async () => {
    const plain = {
      metadata: { encoding: Buffer.from('json/plain').toString('base64') },
      data: Buffer.from('{"x":1}').toString('base64'),
    };
    const enc = await h.app.inject({
      method: 'POST',
      url: '/codec/encode',
      headers: { 'content-type': 'application/json', origin: UI, cookie: cookies.olle },
      payload: JSON.stringify({ payloads: [plain] }),
    });
    expect(enc.statusCode).toBe(200);
    const [sealed] = (enc.json() as { payloads: { metadata: Record<string, string>; data: string }[] }).payloads;
    expect(Buffer.from(sealed!.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
    expect((await decode('dina', { payloads: [sealed] })).json()).toEqual({ payloads: [plain] });
    const ada = await h.app.inject({
      method: 'POST',
      url: '/codec/encode',
      headers: { 'content-type': 'application/json', origin: UI, cookie: cookies.ada },
      payload: JSON.stringify({ payloads: [plain] }),
    });
    expect(ada.statusCode).toBe(403);
  });

  it('accepts an API token of an ops client', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/codec/decode',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${h.opsToken}` },
      payload: JSON.stringify({ payloads: [input] }),
    });
    expect(res.statusCode).toBe(200);
  });
});
