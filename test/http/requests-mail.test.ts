import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OutgoingMail } from '../../src/mail/mailer';
import { type TestContext, createTestContext, extractCsrf } from '../helpers/context';

const FORM = { name: 'Karim Benali', preferredContact: 'email', regionCode: 'HDF', situation: 'odd_hours', consent: 'on', precisions: '' };

/**
 * Sends the form from a new browser and follows the redirect as the browser does: the confirmation
 * (the follow-up page as first shown) says whether the link was e-mailed.
 */
async function submit(ctx: TestContext, fields: Record<string, string>) {
  const agent = ctx.agent();
  const form = (await agent.get('/demande')).text;
  const submissionKey = /name="submissionKey" value="([^"]+)"/.exec(form)?.[1];
  assert.ok(submissionKey);
  const sent = await agent.post('/demande').type('form').send({ _csrf: extractCsrf(form), submissionKey, ...FORM, ...fields });
  assert.equal(sent.status, 303);
  const location = String(sent.headers.location);
  assert.match(location, /^\/demande\/suivi\/[A-Za-z0-9_-]{22}$/);
  const page = await agent.get(location);
  assert.equal(page.status, 200);
  assert.match(page.text, /<h1>Votre demande est envoyée<\/h1>/);
  const again = await agent.post('/demande').type('form').send({ _csrf: extractCsrf(form), submissionKey, ...FORM, ...fields });
  return { location, page, again };
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
    const { location, page, again } = await submit(withSmtp, { email: 'karim@exemple.fr' });
    const link = /https?:\/\/[^\s<"]+\/demande\/suivi\/[A-Za-z0-9_-]+/.exec(page.text)?.[0];
    assert.ok(link);
    assert.ok(link.endsWith(location), 'the link shown is the one the browser was sent to');
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.to, 'karim@exemple.fr');
    assert.match(sent[0]?.subject ?? '', /D-[A-Z0-9]{4}-[A-Z0-9]{4}/);
    assert.ok(sent[0]?.text.includes(link), 'the e-mail carries the same link');
    assert.match(page.text, /Ce lien vous a aussi été envoyé par e-mail\./);
    // The form sent again: no second e-mail, and the page says where the link went.
    assert.equal(again.status, 200);
    assert.match(again.text, /Cette demande est déjà envoyée/);
    assert.match(again.text, /il vous a aussi été envoyé par e-mail/, 'the session still knows the link went by e-mail');
    assert.doesNotMatch(again.text, /nouveau-lien/, 'so no new link is offered: the e-mailed one must keep working');
    assert.equal(sent.length, 1);
  });

  it('sends nothing to an agent who gave only a phone number', async () => {
    const before = sent.length;
    const { page } = await submit(withSmtp, { phone: '06 12 34 56 78', preferredContact: 'phone' });
    assert.equal(sent.length, before);
    assert.match(page.text, /Aucun e-mail ne vous est envoyé/);
  });

  it('still shows the link when sending fails, and keeps the request', async () => {
    const { page } = await submit(failing, { email: 'karim@exemple.fr' });
    assert.match(page.text, /<a class="link-box" href="[^"]+\/demande\/suivi\/[A-Za-z0-9_-]+">/);
    assert.match(page.text, /Aucun e-mail ne vous est envoyé/);
    const rows = await failing.db.selectFrom('supportRequests').select('id').execute();
    assert.equal(rows.length, 1);
  });

  it('works fully without SMTP, and tells admins so', async () => {
    const { page, again } = await submit(withoutSmtp, { email: 'karim@exemple.fr' });
    assert.match(page.text, /Aucun e-mail ne vous est envoyé/);
    assert.doesNotMatch(again.text, /boîte e-mail/, 'no e-mail to look for without SMTP');
    const { agent } = await withoutSmtp.signedIn({ role: 'admin' });
    assert.match((await agent.get('/')).text, /L’envoi d’e-mails n’est pas configuré/);
  });
});
