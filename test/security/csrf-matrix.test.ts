/**
 * CSRF matrix, generated from the router's route list: every state-changing route (POST, PUT,
 * PATCH, DELETE) is sent, by the user allowed to use it and with a request that otherwise works,
 * without a token, with a made-up token, with another session's token, from a foreign Origin and
 * with `Sec-Fetch-Site: cross-site`; each refusal is a 403 that changes nothing. The same request
 * with the session's own token then succeeds, so every refusal is the token's doing.
 *
 * What the app checks (src/web/csrf.ts): a synchroniser token kept in the server-side session and
 * read from the `_csrf` body field (csrf-sync), and, before it, a foreign Origin or a browser's
 * `Sec-Fetch-Site: cross-site` (refuseCrossSite).
 *
 * Also: every GET route, used by its allowed user, changes nothing but the audit log's views and
 * exports (« nothing changes state on GET », README).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { createTestContext } from '../helpers/context';
import { STATE_CHANGING, UNLIMITED, assertUnchanged, changes, listRoutes, snapshot, tokenOf } from './support';
import { type Made, ROUTES, type RouteSpec, createWorld, ownerOf, send } from './world';

const ctx = await createTestContext(UNLIMITED);
const w = await createWorld(ctx);
const routes = listRoutes(ctx.app);
after(async () => {
  await ctx.close();
});

/** The browser that sends a route's requests and the session token it would hold. */
async function actorFor(spec: RouteSpec, made: Made) {
  const owner = ownerOf(w, spec, made);
  const agent = owner === 'anonymous' ? ctx.agent() : owner.agent;
  return { agent, token: await tokenOf(agent, owner !== 'anonymous') };
}

function brief(res: { status: number; text?: string; headers: Record<string, unknown> }): string {
  return `${res.status} ${String(res.headers.location ?? '')} ${(res.text ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 200)}`;
}

/** A refusal: 403 with the French page, and every table as it was. */
async function assertRefused(spec: RouteSpec, method: string, what: string, build: (ownToken: string) => Promise<{ token: string | null; headers?: Record<string, string> }>) {
  const made = await spec.make(w);
  const { agent, token: ownToken } = await actorFor(spec, made);
  const { token, headers } = await build(ownToken);
  const before = await snapshot(ctx.db);
  const res = await send(agent, method, made.probe, { csrf: token, headers });
  assert.equal(res.status, 403, `${what}: ${brief(res)}`);
  assert.match(res.text ?? '', /Action refusée/, 'the French refusal page');
  await assertUnchanged(ctx.db, before, what);
}

const stateChanging = routes.filter((r) => STATE_CHANGING.has(r.method));

describe('CSRF matrix', () => {
  it('covers every state-changing route of the router', () => {
    assert.ok(stateChanging.length >= 25, `${stateChanging.length} state-changing routes`);
    const missing = stateChanging.filter((r) => !ROUTES[r.key]).map((r) => r.key);
    assert.deepEqual(missing, [], 'state-changing routes without a fixture in ROUTES (world.ts)');
  });

  for (const route of stateChanging) {
    const spec = ROUTES[route.key];
    if (!spec) continue; // reported above
    const { method } = route;

    describe(route.key, () => {
      it('refuses a request without a token', async () => {
        await assertRefused(spec, method, `${route.key} without a token`, async () => ({ token: null }));
      });

      it('refuses a made-up token', async () => {
        await assertRefused(spec, method, `${route.key} with a made-up token`, async () => ({ token: randomBytes(32).toString('base64url') }));
      });

      it('refuses the token of another session', async () => {
        await assertRefused(spec, method, `${route.key} with another session’s token`, async () => ({ token: await tokenOf(ctx.agent(), false) }));
      });

      it('refuses a valid token sent from a foreign Origin (https://evil.example)', async () => {
        await assertRefused(spec, method, `${route.key} from Origin https://evil.example`, async (ownToken) => ({
          token: ownToken,
          headers: { Origin: 'https://evil.example', Referer: 'https://evil.example/piege.html' },
        }));
      });

      it('refuses a valid token sent with Sec-Fetch-Site: cross-site', async () => {
        await assertRefused(spec, method, `${route.key} with Sec-Fetch-Site: cross-site`, async (ownToken) => ({
          token: ownToken,
          headers: { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'navigate' },
        }));
      });

      it('accepts the same request with the session’s own token, same-origin', async () => {
        const made = await spec.make(w);
        const { agent, token } = await actorFor(spec, made);
        const res = await send(agent, method, made.probe, { csrf: token, headers: { 'Sec-Fetch-Site': 'same-origin' } });
        if (made.ok !== undefined) assert.equal(res.status, made.ok, brief(res));
        else assert.ok(res.status >= 200 && res.status < 400 && res.headers.location !== '/connexion', `${route.key}: ${brief(res)}`);
      });
    });
  }
});

describe('GET changes nothing', () => {
  const gets = routes.filter((r) => r.method === 'GET');
  for (const route of gets) {
    const spec = ROUTES[route.key];
    if (!spec) continue; // reported by the access matrix
    it(`${route.key}: only views and exports are logged`, async () => {
      const made = await spec.make(w);
      const { agent } = await actorFor(spec, made);
      const before = await snapshot(ctx.db);
      const res = await send(agent, 'GET', made.probe);
      assert.ok(res.status < 400, `${route.key}: ${brief(res)}`);
      const after = await snapshot(ctx.db);
      const oldAudit = new Set(before.get('audit_log') ?? []);
      for (const row of after.get('audit_log') ?? []) {
        if (oldAudit.has(row)) continue;
        const entry = JSON.parse(row) as { action: string };
        assert.ok(['view', 'export'].includes(entry.action), `${route.key} logged « ${entry.action} »`);
      }
      for (const snap of [before, after]) {
        snap.delete('audit_log');
        snap.delete('sqlite_sequence');
      }
      assert.deepEqual(changes(before, after), [], `${route.key} changed data`);
    });
  }
});
