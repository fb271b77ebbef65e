import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OutgoingMail } from '../../src/mail/mailer';
import { type TestContext, createTestContext, csrfFrom } from '../helpers/context';

const FORM = { name: 'Karim Benali', preferredContact: 'email', regionCode: 'HDF', situation: 'odd_hours', consent: 'on', precisions: '' };

async function submit(ctx: TestContext, fields: Record<string, string>) {
  const agent = ctx.agent();
  const csrf = await csrfFrom(agent, '/demande');
  return agent.post('/demande').type('form').send({ _csrf: csrf, ...FORM, ...fields });
}

describe('follow-up link by e-mail', () => {
  const sent: OutgoingMail[] = [];
  let withSmtp: TestContext;
  let failing: TestContext;
  let withoutSmtp: TestContext;

  before(async () => {
    withSmtp = await createTestContext({}, { mailer: { send: async (mail) => void sent.push(mail) } });
    failing = await createTestContext({}, { mailer: { send: async () => Promise.reject(new Error('smtp down')) } });
    withoutSmtp = await createTestContext();
  });
  after(async () => {
    await withSmtp.close();
    await failing.close();
    await withoutSmtp.close();
  });

  it('e-mails the private link when the agent gave an address and SMTP is set up', async () => {
    const res = await submit(withSmtp, { email: 'karim@exemple.fr' });
    assert.equal(res.status, 201);
    const link = /https?:\/\/[^\s<"]+\/demande\/suivi\/[A-Za-z0-9_-]+/.exec(res.text)?.[0];
    assert.ok(link);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.to, 'karim@exemple.fr');
    assert.match(sent[0]?.subject ?? '', /D-[A-Z0-9]{4}-[A-Z0-9]{4}/);
    assert.ok(sent[0]?.text.includes(link), 'the e-mail carries the same link');
    assert.match(res.text, /Ce lien vous a aussi été envoyé par e-mail\./);
  });

  it('sends nothing to an agent who gave only a phone number', async () => {
    const before = sent.length;
    const res = await submit(withSmtp, { phone: '06 12 34 56 78', preferredContact: 'phone' });
    assert.equal(res.status, 201);
    assert.equal(sent.length, before);
    assert.match(res.text, /Aucun e-mail ne vous est envoyé/);
  });

  it('still shows the link when sending fails, and keeps the request', async () => {
    const res = await submit(failing, { email: 'karim@exemple.fr' });
    assert.equal(res.status, 201);
    assert.match(res.text, /\/demande\/suivi\/[A-Za-z0-9_-]+/);
    assert.match(res.text, /Aucun e-mail ne vous est envoyé/);
    const rows = await failing.db.selectFrom('supportRequests').select('id').execute();
    assert.equal(rows.length, 1);
  });

  it('works fully without SMTP, and tells admins so', async () => {
    const res = await submit(withoutSmtp, { email: 'karim@exemple.fr' });
    assert.equal(res.status, 201);
    assert.match(res.text, /Aucun e-mail ne vous est envoyé/);
    const { agent } = await withoutSmtp.signedIn({ role: 'admin' });
    assert.match((await agent.get('/')).text, /L’envoi d’e-mails n’est pas configuré/);
  });
});
