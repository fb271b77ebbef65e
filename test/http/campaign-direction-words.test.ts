import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Signed, type TestContext, createTestContext, PEOPLE } from '../helpers/context';
import { type Fields, postWithFreshCsrf } from '../helpers/forms';
import { decode, text } from '../helpers/html';

/**
 * A campaign's commitment as a union document reports it, apart from the direction's exact words,
 * and what the direction said of false positives: seeded for wave 2, entered by administrators,
 * shown on the campaign's page.
 */

let ctx: TestContext;
let admin: Signed, rep: Signed;

const FRAMING = 'Comme il s’agit d’une expérimentation, aucune sanction disciplinaire ne sera engagée.';
const QUOTE = 'si consultation illégitime du dossier, rappel avec bienveillance des règles, le cadre et les risques encourus personnellement et pour France travail.';

before(async () => {
  ctx = await createTestContext();
  [admin, rep] = await ctx.signInAll(PEOPLE.admin, PEOPLE.rep);
});
after(() => ctx.close());

let counter = 0;
function campaignForm(overrides: Fields = {}): Fields {
  counter += 1;
  return {
    name: `Campagne paroles ${counter}`,
    commitmentText: 'Selon le tract, aucune sanction ne sera prise.',
    excludesSanctions: 'on',
    reportRequired: 'on',
    status: 'active',
    situations: ['odd_hours'],
    ...overrides,
  };
}

/** One `<section … aria-labelledby="id">` of a page, or undefined. */
function section(html: string, labelledBy: string): string | undefined {
  const start = html.indexOf(`aria-labelledby="${labelledBy}"`);
  return start < 0 ? undefined : html.slice(start, html.indexOf('</section>', start));
}

function fieldError(html: string, name: string): string | undefined {
  const match = new RegExp(`<p class="field__error" id="f-${name}-error">([^<]*)</p>`).exec(html);
  return match ? decode(match[1]!) : undefined;
}

describe('the seeded wave 2', () => {
  it('keeps the union’s framing and the direction’s words apart, with its statement on false positives', async () => {
    const row = await ctx.db
      .selectFrom('campaigns')
      .select(['id', 'commitmentText', 'commitmentQuote', 'falsePositivesStatement'])
      .where('name', '=', 'Détournement de finalités — vague 2 (2024)')
      .executeTakeFirstOrThrow();
    assert.equal(row.commitmentText, FRAMING);
    assert.equal(row.commitmentQuote, QUOTE);
    assert.match(row.falsePositivesStatement, /^Devant le CSEC, la direction générale a évalué à 10 % .* « faux positifs » ; elle a indiqué que le système ne pouvait pas perdurer en l’état, car il y avait encore trop de faux positifs\.$/);

    const page = await rep.agent.get(`/campagnes/${row.id}`);
    assert.equal(page.status, 200);
    const commitment = section(page.text, 'engagement')!;
    assert.match(decode(commitment), new RegExp(`<p>${FRAMING}</p>`), 'the framing is a paragraph, not a quotation');
    assert.match(text(commitment), /Tel que rapporté par un document syndical \(tract, compte rendu\)\./);
    assert.ok(decode(commitment).includes(`<blockquote class="quote">«&nbsp;${QUOTE}&nbsp;»</blockquote>`), 'the direction’s words are the quotation, in guillemets');
    assert.match(text(commitment), /Mots exacts de la direction\./);
    const falsePositives = section(page.text, 'faux-positifs');
    assert.ok(falsePositives, 'the page has a section on false positives');
    assert.match(text(falsePositives), /Ce que la direction a dit des faux positifs Devant le CSEC, la direction générale a évalué à 10 %/);
  });

  it('wave 1 has no quote of its own nor statement on false positives: its page shows neither', async () => {
    const row = await ctx.db.selectFrom('campaigns').select(['id', 'commitmentText', 'commitmentQuote', 'falsePositivesStatement']).where('wave', '=', 1).executeTakeFirstOrThrow();
    assert.deepEqual([row.commitmentQuote, row.falsePositivesStatement], ['', '']);
    assert.match(row.commitmentText, /« donneront lieu à des entretiens qui pourront déboucher sur des sanctions disciplinaires »/, 'its framing already quotes the announcement');
    const page = await rep.agent.get(`/campagnes/${row.id}`);
    assert.doesNotMatch(section(page.text, 'engagement')!, /<blockquote/);
    assert.equal(section(page.text, 'faux-positifs'), undefined);
  });
});

describe('the campaign form', () => {
  it('asks for the three texts, each with its label and what it is for', async () => {
    const page = text((await admin.agent.get('/campagnes/nouvelle')).text);
    assert.match(page, /Engagement tel que rapporté \(tract, compte rendu\) L’engagement dans les mots du document syndical qui le rapporte/);
    assert.match(page, /Mots exacts de la direction Seulement les mots de la direction, tels qu’un document les cite, sans guillemets : ils sont imprimés comme une citation de la direction\./);
    assert.match(page, /Ce que la direction a dit des faux positifs Facultatif\./);
    const edit = (await admin.agent.get('/campagnes/2/modifier')).text;
    assert.ok(edit.includes(`>${QUOTE}</textarea>`), 'the edit form shows the stored words');
  });

  it('saves them, the guillemets around the words taken off, and shows them', async () => {
    const res = await postWithFreshCsrf(
      admin.agent,
      '/campagnes',
      campaignForm({ commitmentQuote: '  « aucune sanction ne sera prise »  ', falsePositivesStatement: 'La direction a reconnu de nombreux « faux positifs ».' }),
    );
    assert.equal(res.status, 303, text(res.text).slice(0, 400));
    const id = Number(/\/campagnes\/(\d+)$/.exec(String(res.headers.location))?.[1]);
    const row = await ctx.db.selectFrom('campaigns').select(['commitmentQuote', 'falsePositivesStatement']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { commitmentQuote: 'aucune sanction ne sera prise', falsePositivesStatement: 'La direction a reconnu de nombreux « faux positifs ».' });
    const page = decode((await rep.agent.get(`/campagnes/${id}`)).text);
    assert.ok(page.includes('<blockquote class="quote">«&nbsp;aucune sanction ne sera prise&nbsp;»</blockquote>'));
    assert.ok(page.includes('<p>La direction a reconnu de nombreux « faux positifs ».</p>'));
  });

  it('keeps quotation marks that are not around the whole text', async () => {
    const quote = '« aucune sanction » et « un rappel bienveillant »';
    const res = await postWithFreshCsrf(admin.agent, '/campagnes', campaignForm({ commitmentQuote: quote }));
    assert.equal(res.status, 303);
    const id = Number(/\/campagnes\/(\d+)$/.exec(String(res.headers.location))?.[1]);
    assert.equal((await ctx.db.selectFrom('campaigns').select('commitmentQuote').where('id', '=', id).executeTakeFirstOrThrow()).commitmentQuote, quote);
  });

  it('takes the direction’s words alone as the no-sanction commitment', async () => {
    const res = await postWithFreshCsrf(admin.agent, '/campagnes', campaignForm({ commitmentText: '', commitmentQuote: 'aucune sanction ne sera prise' }));
    assert.equal(res.status, 303, text(res.text).slice(0, 400));
    const neither = await postWithFreshCsrf(admin.agent, '/campagnes', campaignForm({ commitmentText: '', commitmentQuote: '  ' }));
    assert.equal(neither.status, 400);
    assert.equal(fieldError(neither.text, 'commitmentText'), 'Citez l’engagement de la direction : c’est lui que Vigie suit dossier par dossier.');
  });

  it('refuses texts too long, in French, beside the field, keeping what was typed', async () => {
    const res = await postWithFreshCsrf(
      admin.agent,
      '/campagnes',
      campaignForm({ name: 'Campagne trop bavarde', commitmentQuote: 'q'.repeat(2001), falsePositivesStatement: 'f'.repeat(2001) }),
    );
    assert.equal(res.status, 400);
    assert.equal(fieldError(res.text, 'commitmentQuote'), 'La citation de la direction ne peut pas dépasser 2000 caractères.');
    assert.equal(fieldError(res.text, 'falsePositivesStatement'), 'Ce que la direction a dit des faux positifs ne peut pas dépasser 2000 caractères.');
    assert.ok(res.text.includes('q'.repeat(2001)) && res.text.includes('f'.repeat(2001)), 'both texts are kept');
    assert.ok(res.text.includes('value="Campagne trop bavarde"'));
  });
});
