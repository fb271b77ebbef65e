import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { type TestContext, createTestContext, csrfFrom, extractCsrf } from '../helpers/context';
import { supportRequestForm } from '../fixtures/support-request';
import { encode } from '../helpers/forms';

describe('settings: how else to reach the union', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext({ PUBLIC_FORM_LIMIT_PER_HOUR: '1', RATE_LIMIT_PER_MINUTE: '100000' });
  });
  after(async () => {
    await ctx.close();
  });

  it('lets an administrator set the contact, audited, and refuses a rep', async () => {
    const { agent: admin, user } = await ctx.signedIn({ role: 'admin' });
    const page = await admin.get('/admin/reglages');
    assert.equal(page.status, 200);
    assert.match(page.text, /Autre moyen de joindre le syndicat/);
    const saved = await admin.post('/admin/reglages').type('form').send({ _csrf: await csrfFrom(admin, '/admin/reglages'), unionContact: 'Permanence CGT : 01 02 03 04 05\r\ncgt.hdf@exemple.fr' });
    assert.equal(saved.status, 303);
    const shown = await admin.get('/admin/reglages');
    assert.match(shown.text, /Réglages enregistrés/);
    assert.match(shown.text, /Permanence CGT : 01 02 03 04 05\ncgt\.hdf@exemple\.fr/);
    const audit = await ctx.db.selectFrom('auditLog').selectAll().where('entityType', '=', 'app_settings').execute();
    assert.deepEqual(audit.map((a) => [a.action, a.actorUserId]), [['update', user.id]]);

    const { agent: rep } = await ctx.signedIn({ role: 'rep' });
    assert.equal((await rep.get('/admin/reglages')).status, 403);
  });

  it('keeps what was typed, with a French message per field, when the contact is too long', async () => {
    const { agent: admin } = await ctx.signedIn({ role: 'admin' });
    const typed = Array.from({ length: 9 }, (_, i) => `ligne ${i + 1}`).join('\n');
    const res = await admin.post('/admin/reglages').type('form').send({ _csrf: await csrfFrom(admin, '/admin/reglages'), unionContact: typed });
    assert.equal(res.status, 400);
    assert.match(res.text, /8 lignes au plus/);
    assert.match(res.text, /ligne 9/);
    const tooLong = await admin.post('/admin/reglages').type('form').send({ _csrf: await csrfFrom(admin, '/admin/reglages'), unionContact: 'x'.repeat(601) });
    assert.equal(tooLong.status, 400);
    assert.match(tooLong.text, /600 caractères/);
    assert.match((await admin.get('/admin/reglages')).text, /Permanence CGT/, 'the saved contact is unchanged');
  });

  it('shows the throttled agent when to try again and the contact, and keeps what they typed', async () => {
    const agent = request.agent(ctx.app);
    const send = async (name: string) => {
      const form = await agent.get('/demande');
      const submissionKey = /name="submissionKey" value="([^"]+)"/.exec(form.text)![1]!;
      const fields = supportRequestForm({ name, email: 'agente@exemple.fr', message: 'Convoquée la semaine prochaine.', submissionKey, _csrf: extractCsrf(form.text) });
      return agent.post('/demande').type('form').send(encode(fields));
    };
    assert.equal((await send('Première Agente')).status, 303);
    const before = await ctx.db.selectFrom('supportRequests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const refused = await send('Seconde Agente');
    assert.equal(refused.status, 429);
    assert.match(refused.text, /Votre demande n’est pas encore envoyée/);
    assert.match(refused.text, /envoyez-le à nouveau à partir du \d{1,2} \S+ \d{4} à \d{2}:\d{2}/);
    assert.match(refused.text, /Permanence CGT : 01 02 03 04 05<br>cgt\.hdf@exemple\.fr/);
    assert.match(refused.text, /value="Seconde Agente"/, 'the name typed is kept');
    const retryAfter = Number(refused.headers['retry-after']);
    assert.ok(retryAfter > 3000 && retryAfter <= 3600, `Retry-After: ${retryAfter}`);
    const afterRefusal = await ctx.db.selectFrom('supportRequests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(afterRefusal.n, before.n, 'nothing stored');
  });
});
