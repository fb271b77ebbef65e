/**
 * Access matrix, generated from the router's own route list (see listRoutes in support.ts): for
 * every route, an anonymous visitor is sent to /connexion (GET) or refused (POST); for every route
 * that names a Hauts-de-France record, a rep of another region gets 404 as if it did not exist;
 * administrators' routes answer 403 to reps; a record that belongs to one account (a CSV import, a
 * batch export job: `ownerOnly` in world.ts) answers 404 to anyone else, a colleague covering the
 * same region or an administrator; every refusal leaves every table as it was (and an export's file
 * on the server). Each route's fixture is then used by the user allowed to, so a refusal is never a
 * broken fixture.
 *
 * A route that is neither in PUBLIC_ROUTES (the allow-list) nor in ROUTES (world.ts) fails the
 * suite: a new route cannot ship without saying who may reach it.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { type Agent, createTestContext } from '../helpers/context';
import { UNLIMITED, assertUnchanged, binary, importIdOf, listRoutes, snapshot, tokenOf, uploadCases, zipEntries } from './support';
import { type Made, PUBLIC_ROUTES, ROUTES, type RouteSpec, createWorld, ownerOf, send } from './world';

const ctx = await createTestContext(UNLIMITED);
const w = await createWorld(ctx);
const routes = listRoutes(ctx.app);
after(async () => {
  await ctx.close();
});

const isRedirectToLogin = (res: { status: number; headers: Record<string, unknown> }) =>
  (res.status === 303 || res.status === 302) && res.headers.location === '/connexion';

/** A fresh browser without an account; with a session and its token when asked. */
async function anonymous(withSession: boolean): Promise<{ agent: Agent; csrf: string | null }> {
  const agent = ctx.agent();
  return { agent, csrf: withSession ? await tokenOf(agent, false) : null };
}

function brief(res: { status: number; text?: string; headers: Record<string, unknown> }): string {
  return `${res.status} ${String(res.headers.location ?? '')} ${(res.text ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 200)}`;
}

describe('the route table covers the whole router', () => {
  it('reads every route from the router, mounted routers included', () => {
    const keys = routes.map((r) => r.key);
    assert.ok(routes.length >= 60, `${routes.length} routes found`);
    for (const expected of ['GET /dossiers/:id', 'POST /demandes/:id/reponse', 'GET /declarations/:file', 'POST /admin/comptes/:id/lien', 'GET /assets/*', 'GET /healthz']) {
      assert.ok(keys.includes(expected), `${expected} is found in the router`);
    }
  });

  it('has, for every route, either an allow-list entry or an access case', () => {
    const uncovered = routes.filter((r) => !PUBLIC_ROUTES[r.key] && !ROUTES[r.key]).map((r) => r.key);
    assert.deepEqual(uncovered, [], 'routes with no access check: add them to ROUTES (world.ts) with their fixture, or to PUBLIC_ROUTES with a reason');
  });

  it('allows anonymous access only to the routes of the allow-list, each with a reason', () => {
    for (const [key, spec] of Object.entries(ROUTES)) {
      assert.equal(spec.access === 'public', key in PUBLIC_ROUTES, `${key}: public in ROUTES if and only if in PUBLIC_ROUTES`);
    }
    for (const [key, reason] of Object.entries(PUBLIC_ROUTES)) assert.ok(reason.length > 10, `${key} says why it is public`);
  });

  it('names only routes that exist (no stale entry hiding a renamed route)', () => {
    const keys = new Set(routes.map((r) => r.key));
    const stale = [...Object.keys(ROUTES), ...Object.keys(PUBLIC_ROUTES)].filter((k) => !keys.has(k));
    assert.deepEqual(stale, []);
  });

  it('marks every route of a CSV import or a batch export job as its owner’s only, with a reason', () => {
    const jobs = routes.filter((r) => /^\/dossiers\/(import|argumentaires)\/:/.test(r.path));
    assert.ok(jobs.length >= 4, `${jobs.length} routes of imports and export jobs`);
    for (const r of jobs) assert.ok((ROUTES[r.key]?.ownerOnly?.length ?? 0) > 10, `${r.key} names a record of one account: ownerOnly, with a reason`);
    for (const [key, spec] of Object.entries(ROUTES)) {
      if (spec.ownerOnly) assert.ok(key.includes(':'), `${key}: ownerOnly is for routes naming a record`);
    }
  });

  it('sets a colleague of the same region beside the owner: the colleague sees the owner’s cases, so a 404 below is the owner check', async () => {
    const kase = await w.newCase();
    assert.equal((await w.colleague.agent.get(`/dossiers/${kase.id}`)).status, 200);
    assert.equal((await w.outsider.agent.get(`/dossiers/${kase.id}`)).status, 404);
  });

  it('scopes every non-public route that takes an id: regional, administrators only, or shared for a stated reason', () => {
    for (const r of routes) {
      const spec = ROUTES[r.key];
      if (!spec || spec.access === 'public' || !r.path.includes(':')) continue;
      assert.ok(spec.access === 'regional' || spec.access === 'admin' || (spec.shared?.length ?? 0) > 10, `${r.key} takes an id: regional, admin, or shared with a reason`);
    }
  });
});

describe('access matrix', () => {
  for (const route of routes) {
    const spec: RouteSpec | undefined = ROUTES[route.key];
    if (!spec) continue; // reported above
    const { method } = route;

    describe(route.key, () => {
      let made: Made;
      before(async () => {
        made = await spec.make(w);
      });

      if (spec.access === 'public') {
        if (spec.ownSession) {
          // The visitor's own session is the credential (a new link for the request it just sent).
          it(spec.otherBrowsersToLogin ? 'sends any other browser to the login page, and changes nothing' : 'answers 404 to any other browser, and changes nothing', async () => {
            const { agent, csrf } = await anonymous(true);
            const before = await snapshot(ctx.db);
            const res = await send(agent, method, made.probe, { csrf });
            if (spec.otherBrowsersToLogin) assert.ok(isRedirectToLogin(res), `${route.key}: ${brief(res)}`);
            else assert.equal(res.status, 404, `${route.key}: ${brief(res)}`);
            await assertUnchanged(ctx.db, before, route.key);
          });
        }
        it('is open to an anonymous visitor (allow-list)', async () => {
          const own = spec.ownSession ? made.actor : undefined;
          const { agent, csrf } = own ? { agent: own.agent, csrf: await tokenOf(own.agent, false) } : await anonymous(true);
          const res = await send(agent, method, made.probe, { csrf });
          assert.ok(res.status < 400 && !isRedirectToLogin(res), `${route.key}: ${brief(res)}`);
        });
        if (route.path.includes(':token')) {
          it('answers 404 to an unknown or altered token and changes nothing', async () => {
            const { agent, csrf } = await anonymous(true);
            const before = await snapshot(ctx.db);
            const real = /\/([A-Za-z0-9_-]{20,})(?=\/|$)/.exec(made.probe.url)?.[1];
            assert.ok(real, 'the fixture carries a token');
            const altered = `${real.slice(0, -1)}${real.endsWith('A') ? 'B' : 'A'}`;
            for (const token of [altered, 'inconnu', `${real}x`, '..%2F..%2Fetc%2Fpasswd']) {
              const res = await send(agent, method, { ...made.probe, url: made.probe.url.replace(real, token) }, { csrf });
              assert.equal(res.status, 404, `${route.key} with token ${token}: ${brief(res)}`);
            }
            await assertUnchanged(ctx.db, before, route.key);
          });
        }
        return;
      }

      it('sends an anonymous visitor to /connexion, or refuses the POST, and changes nothing', async () => {
        const before = await snapshot(ctx.db);
        const probes = [made.probe, ...(made.foreign ?? [])];
        for (const probe of probes) {
          if (method === 'GET') {
            const res = await send(ctx.agent(), method, probe);
            assert.ok(isRedirectToLogin(res), `anonymous GET ${probe.url}: ${brief(res)}`);
            assert.doesNotMatch(res.text ?? '', /Agent Matrice|Demandeuse Matrice|CSE Matrice/, 'no record shown on the way');
          } else {
            const bare = await send(ctx.agent(), method, probe);
            assert.ok(bare.status === 403 || isRedirectToLogin(bare), `anonymous ${method} ${probe.url} without a session: ${brief(bare)}`);
            const { agent, csrf } = await anonymous(true);
            const withToken = await send(agent, method, probe, { csrf });
            assert.ok(isRedirectToLogin(withToken), `anonymous ${method} ${probe.url} with a session and its token: ${brief(withToken)}`);
          }
        }
        await assertUnchanged(ctx.db, before, `anonymous ${route.key}`);
      });

      if (spec.access === 'regional') {
        it('answers 404 to a rep of another region, and changes nothing', async () => {
          const csrf = await tokenOf(w.outsider.agent, true);
          for (const probe of made.foreign ?? [made.probe]) {
            const before = await snapshot(ctx.db);
            const res = await send(w.outsider.agent, method, probe, { csrf });
            assert.equal(res.status, probe.refusal ?? 404, `outsider ${method} ${probe.url}: ${brief(res)}`);
            if (probe.refusalLocation) assert.match(String(res.headers.location), probe.refusalLocation);
            await assertUnchanged(ctx.db, before, `outsider ${method} ${probe.url}`, probe.ownView);
          }
        });
      }

      if (spec.ownerOnly) {
        it('answers 404 to any other account — a colleague of the same region, an administrator — and changes nothing', async () => {
          for (const who of [w.colleague, w.admin]) {
            const csrf = await tokenOf(who.agent, true);
            for (const probe of made.foreign ?? [made.probe]) {
              const before = await snapshot(ctx.db);
              const res = await send(who.agent, method, probe, { csrf });
              assert.equal(res.status, 404, `${who.user.email} ${method} ${probe.url}: ${brief(res)}`);
              await assertUnchanged(ctx.db, before, `${who.user.email} ${method} ${probe.url}`);
            }
          }
        });
      }

      if (spec.access === 'admin') {
        it('answers 403 to reps, of this region or another, and changes nothing', async () => {
          const before = await snapshot(ctx.db);
          for (const who of [w.outsider, w.rep]) {
            const res = await send(who.agent, method, made.probe, { csrf: await tokenOf(who.agent, true) });
            assert.equal(res.status, 403, `rep ${method} ${made.probe.url}: ${brief(res)}`);
          }
          await assertUnchanged(ctx.db, before, `rep on ${route.key}`);
        });
      }

      if (spec.access === 'signed-in') {
        it('gives a rep of another region nothing of Hauts-de-France', async (t) => {
          if (!made.foreign && !made.marker) return t.skip('this route names no record and shows no regional data');
          const csrf = await tokenOf(w.outsider.agent, true);
          for (const probe of made.foreign ?? []) {
            const before = await snapshot(ctx.db);
            const res = await send(w.outsider.agent, method, probe, { csrf });
            assert.equal(res.status, probe.refusal ?? 404, `outsider ${method} ${probe.url}: ${brief(res)}`);
            if (probe.refusalLocation) assert.match(String(res.headers.location), probe.refusalLocation);
            await assertUnchanged(ctx.db, before, `outsider ${method} ${probe.url}`, probe.ownView);
          }
          if (made.marker) {
            const res = await send(w.outsider.agent, method, made.probe, { csrf });
            assert.equal(res.status, 200);
            const body = res.text ?? '';
            assert.ok(!body.includes(made.marker), `${route.key}: « ${made.marker} » is shown to a rep of another region`);
          }
        });
      }

      it('lets the allowed user through with the same fixture (so each refusal above is meaningful)', async () => {
        const owner = ownerOf(w, spec, made);
        assert.notEqual(owner, 'anonymous');
        if (owner === 'anonymous') return;
        const res = await send(owner.agent, method, made.probe, { csrf: await tokenOf(owner.agent, true) });
        if (made.ok !== undefined) assert.equal(res.status, made.ok);
        else assert.ok(res.status >= 200 && res.status < 400 && !isRedirectToLogin(res), `${owner.user.email} ${method} ${made.probe.url}: ${brief(res)}`);
        if (made.marker) {
          const body = res.text ?? (Buffer.isBuffer(res.body) ? res.body.toString('utf8') : '');
          assert.ok(body.includes(made.marker), `${route.key}: the allowed user sees « ${made.marker} »`);
        }
      });
    });
  }
});

describe('malformed and unknown ids', () => {
  it('are 404 on every route taking an id, never a server error', async () => {
    const variants = ['0', '-1', 'abc', '1e3', '99999999999999999999', '9007199254740993', '1%00', '%2e%2e', '..%2F..%2Fetc%2Fpasswd', '1;drop%20table%20cases'];
    let probed = 0;
    for (const route of routes) {
      const spec = ROUTES[route.key];
      if (!spec || spec.access === 'public' || !route.path.includes(':')) continue;
      const made = await spec.make(w);
      const after0 = await snapshot(ctx.db);
      const segments = made.probe.url.split('?')[0]!.split('/');
      for (let i = 0; i < segments.length; i++) {
        if (!/^\d+(\.(pdf|docx))?$/.test(segments[i]!)) continue;
        for (const v of variants) {
          const url = segments.map((s, j) => (j === i ? v : s)).join('/');
          const res = await send(w.admin.agent, route.method, { ...made.probe, url }, { csrf: await tokenOf(w.admin.agent, true) });
          probed += 1;
          assert.ok(res.status === 404 || res.status === 400, `${route.method} ${url}: ${brief(res)}`);
        }
      }
      await assertUnchanged(ctx.db, after0, `malformed ids on ${route.key}`);
    }
    assert.ok(probed > 100, `${probed} malformed ids sent`);
  });
});

describe('records of one account, beyond the database', () => {
  const exportsDir = path.join(ctx.config.dataDir, 'exports');
  const files = () => (existsSync(exportsDir) ? readdirSync(exportsDir).sort() : []);

  it('keeps a ready batch export for its owner: a colleague of the same region or an administrator neither sees, downloads nor deletes it', async () => {
    const kase = await w.newCase();
    const url = `/dossiers/argumentaires?q=${encodeURIComponent(kase.name)}`;
    const started = await send(w.rep.agent, 'POST', { url, body: {} }, { csrf: await tokenOf(w.rep.agent, true) });
    const job = /^\/dossiers\/argumentaires\/[0-9a-f]{32}$/.exec(String(started.headers.location))?.[0];
    assert.ok(job, `a job is started: ${brief(started)}`);
    assert.match((await w.rep.agent.get(job)).text, new RegExp(`href="${job}\\.zip"`), 'the file is ready');
    const before = files();
    assert.ok(before.length > 0, 'the file is on the server');
    for (const who of [w.colleague, w.admin]) {
      for (const target of [job, `${job}.zip`, `${job}?auto=non`]) {
        const res = await who.agent.get(target).buffer(true).parse(binary);
        assert.equal(res.status, 404, `${who.user.email} GET ${target}: ${res.status}`);
        assert.notEqual(res.headers['content-type'], 'application/zip');
      }
    }
    assert.deepEqual(files(), before, 'no file deleted or added by their attempts');
    // The colleague exporting the same list gets a job of their own, never the owner's.
    const theirs = await send(w.colleague.agent, 'POST', { url, body: {} }, { csrf: await tokenOf(w.colleague.agent, true) });
    assert.match(String(theirs.headers.location), /^\/dossiers\/argumentaires\/[0-9a-f]{32}$/);
    assert.notEqual(String(theirs.headers.location), job);
    const mine = await w.rep.agent.get(`${job}.zip`).buffer(true).parse(binary);
    assert.equal(mine.status, 200, 'still there for its owner');
    assert.deepEqual((await zipEntries(mine.body as Buffer)).map((e) => e.name), [`argumentaire-${kase.id}.pdf`, 'README.txt']);
  });

  it('keeps a waiting CSV import for its uploader: a colleague’s own upload of the same file leaves it as it was', async () => {
    const kase = await w.newCase();
    const csv = await w.rep.agent.get(`/dossiers/export.csv?q=${encodeURIComponent(kase.name)}`);
    assert.equal(csv.status, 200);
    const file = Buffer.from(csv.text.replace('Agence Lille Centre', 'Agence Lille Moulins'), 'utf8');
    const id = importIdOf(await uploadCases(w.rep.agent, file));
    const row = async (importId: string) => (await sql<Record<string, unknown>>`select * from case_imports where id = ${importId}`.execute(ctx.db)).rows[0];
    const before = await row(id);
    assert.ok(before, 'the upload waits');
    const theirs = importIdOf(await uploadCases(w.colleague.agent, file));
    assert.notEqual(theirs, id);
    assert.deepEqual(await row(id), before, 'the uploader’s file and dry run are untouched');
    for (const [who, own, other] of [[w.rep, id, theirs], [w.colleague, theirs, id]] as const) {
      assert.equal((await who.agent.get(`/dossiers/import/${own}`)).status, 200);
      assert.equal((await who.agent.get(`/dossiers/import/${other}`)).status, 404);
    }
    // The colleague's discarding their own leaves the uploader's.
    const csrf = await tokenOf(w.colleague.agent, true);
    assert.equal((await send(w.colleague.agent, 'POST', { url: `/dossiers/import/${theirs}/abandonner`, body: {} }, { csrf })).status, 303);
    assert.deepEqual(await row(id), before);
  });
});
