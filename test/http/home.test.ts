import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, createTestContext } from '../helpers/context';
import { text } from '../helpers/html';

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext();
});
after(() => ctx.close());

describe('the home page and what every page carries', () => {
  it('lists the CSE declarations among the tools, no longer as « coming soon »', async () => {
    const { agent } = await ctx.signedIn({ role: 'rep', regions: ['HDF'] });
    const home = await agent.get('/');
    assert.equal(home.status, 200);
    assert.doesNotMatch(text(home.text), /Bientôt dans Vigie|en préparation/);
    assert.match(home.text, /<a href="\/declarations">Déclarations CSE<\/a>/);
  });

  it('has an icon: linked from every page, and /favicon.ico leads to it without a session', async () => {
    const page = await ctx.agent().get('/connexion');
    assert.match(page.text, /<link rel="icon" href="\/assets\/favicon\.svg" type="image\/svg\+xml">/);
    const ico = await ctx.agent().get('/favicon.ico');
    assert.equal(ico.status, 301);
    assert.equal(ico.headers.location, '/assets/favicon.svg');
    assert.equal(ico.headers['set-cookie'], undefined);
    const svg = await ctx.agent().get('/assets/favicon.svg');
    assert.equal(svg.status, 200);
    assert.match(String(svg.headers['content-type']), /^image\/svg\+xml/);
  });

  it('writes « 0 dossier », as French does', async () => {
    const { agent } = await ctx.signedIn({ role: 'rep', regions: ['CVL'] });
    assert.match(text((await agent.get('/dossiers')).text), /\b0 dossier\./);
    assert.match(text((await agent.get('/')).text), /\b0 dossier suivi\b/);
  });
});
