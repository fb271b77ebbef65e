/**
 * The composer form shared by the brief review and the declaration compose pages
 * (src/web/composer-form.ts): read, validated in French, and shown again as it was sent.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BRIEF_COMPOSER, readDraft } from '../../src/briefs/brief-draft';
import { DECLARATION_COMPOSER, readSections } from '../../src/declarations/declaration-draft';
import { type ComposerSpec, MAX_TEXT, composerRows, freeSlotRows, readComposer, typedTexts } from '../../src/web/composer-form';

const SPEC: ComposerSpec = {
  prefix: 'x',
  fields: [{ name: 'text', emptyMessage: 'vide' }],
  freeSlots: 2,
  freeTitleFallback: 'Sans titre',
  nothingKept: 'rien',
};
const ITEMS = [
  { id: 'one', order: 10 },
  { id: 'two', order: 20 },
];

describe('readComposer', () => {
  const table: Array<{ name: string; body: Record<string, unknown>; sections?: Array<[string | null, number, string]>; errors?: Record<string, string> }> = [
    { name: 'nothing kept', body: {}, sections: [], errors: { _form: 'rien' } },
    { name: 'an item kept, at its own place', body: { x_one_include: 'on', x_one_text: ' Un.\r\nDeux. ' }, sections: [['one', 10, 'Un.\nDeux.']] },
    { name: 'an unticked item is ignored, whatever its text', body: { x_one_text: 'Un', x_two_include: 'on', x_two_text: 'Deux' }, sections: [['two', 20, 'Deux']] },
    {
      name: 'positions reorder; equal ones keep the items\' order',
      body: { x_one_include: 'on', x_one_text: 'Un', x_one_order: '5', x_two_include: 'on', x_two_text: 'Deux', x_two_order: ' 5 ' },
      sections: [['one', 5, 'Un'], ['two', 5, 'Deux']],
    },
    {
      name: 'a position out of range or not a whole number is refused, the item kept at its place',
      body: { x_one_include: 'on', x_one_text: 'Un', x_one_order: '100', x_two_include: 'on', x_two_text: 'Deux', x_two_order: '1.5' },
      sections: [['one', 10, 'Un'], ['two', 20, 'Deux']],
      errors: { x_one_order: 'Indiquez une position entre 1 et 99.', x_two_order: 'Indiquez une position entre 1 et 99.' },
    },
    { name: 'a kept item without text', body: { x_one_include: 'on', x_one_text: '   ' }, sections: [['one', 10, '']], errors: { x_one_text: 'vide' } },
    { name: 'a text too long', body: { x_one_include: 'on', x_one_text: 'a'.repeat(MAX_TEXT + 1) }, errors: { x_one_text: 'Ce texte dépasse 20\u202f000 caractères.' } },
    { name: 'a field sent twice reads as empty', body: { x_one_include: 'on', x_one_text: ['a', 'b'] }, errors: { x_one_text: 'vide' } },
    { name: 'a free paragraph goes after the items, titled by default', body: { free_1_text: 'Libre' }, sections: [[null, 91, 'Libre']] },
    { name: 'a free title without text', body: { free_2_title: 'Titre' }, sections: [[null, 92, '']], errors: { free_2_text: 'Rédigez le paragraphe ou effacez son titre.' } },
  ];
  for (const c of table) {
    it(c.name, () => {
      const { sections, errors } = readComposer(c.body, SPEC, ITEMS);
      if (c.sections) assert.deepEqual(sections.map((s) => [s.itemId, s.order, s.texts.text]), c.sections);
      assert.deepEqual(errors, c.errors ?? {});
    });
  }

  it('a free title is one line of at most 200 characters', () => {
    const { sections } = readComposer({ free_1_title: ` Un\ttitre\n${'x'.repeat(300)}`, free_1_text: 'Texte' }, SPEC, ITEMS);
    assert.equal(sections[0]!.title, `Un titre ${'x'.repeat(191)}`);
    assert.equal(readComposer({ free_1_text: 'Texte' }, SPEC, ITEMS).sections[0]!.title, 'Sans titre');
  });
});

describe('the rows a composer page shows', () => {
  const items = [
    { id: 'one', title: 'Un', proposed: 'Texte un' },
    { id: 'two', title: 'Deux', proposed: 'Texte deux' },
  ];
  const defaults = (item: (typeof items)[number]) => ({ included: item.id === 'one', order: item.id === 'one' ? 10 : 20, texts: { text: item.proposed } });

  it('without a form: the proposals', () => {
    const rows = composerRows(SPEC, items, {}, defaults);
    assert.deepEqual(
      rows.map((r) => [r.id, r.included, r.order, r.text, r.textError]),
      [
        ['one', true, '10', 'Texte un', undefined],
        ['two', false, '20', 'Texte deux', undefined],
      ],
    );
    assert.deepEqual(freeSlotRows(SPEC, {}).map((r) => [r.slot, r.title, r.order, r.text]), [[1, '', '91', ''], [2, '', '92', '']]);
  });

  it('with a form sent back: what was sent, errors beside their fields', () => {
    const body = { x_two_include: 'on', x_two_order: 'abc', x_two_text: 'Mon texte', free_1_title: 'T', free_1_order: '', free_1_text: '' };
    const errors = { x_two_order: 'Indiquez une position entre 1 et 99.', free_1_text: 'Rédigez le paragraphe ou effacez son titre.' };
    const rows = composerRows(SPEC, items, { body, errors }, defaults);
    assert.deepEqual(rows.map((r) => [r.id, r.included, r.order, r.text, r.orderError]), [
      ['one', false, '', '', undefined],
      ['two', true, 'abc', 'Mon texte', 'Indiquez une position entre 1 et 99.'],
    ]);
    const slots = freeSlotRows(SPEC, { body, errors });
    assert.deepEqual([slots[0]!.title, slots[0]!.order, slots[0]!.textError], ['T', '', 'Rédigez le paragraphe ou effacez son titre.']);
  });

  it('keeps what was typed when the form cannot be used', () => {
    const texts = typedTexts({ x_one_text: 'Gardé', x_two_text: '  ', free_2_text: 'Libre' }, SPEC, items.map((i) => ({ id: i.id, heading: i.title })));
    assert.deepEqual(texts, [
      { heading: 'Un', text: 'Gardé' },
      { heading: 'Paragraphe libre 2', text: 'Libre' },
    ]);
  });
});

describe('the two composers', () => {
  it('a brief draft: purpose and addressee first among the errors, then the arguments\'', () => {
    const { errors } = readDraft({ a_x_include: 'on' }, { argumentIds: ['x'], purposes: ['letter'], addressees: ['hr'] });
    assert.deepEqual(Object.keys(errors), ['purpose', 'addressee', 'a_x_text', 'a_x_summary']);
    assert.equal(errors.a_x_summary, BRIEF_COMPOSER.fields[1]!.emptyMessage);
  });

  it('a brief draft keeps summaries and names free paragraphs', () => {
    const { draft, errors } = readDraft(
      { purpose: 'letter', addressee: 'hr', annex: 'on', a_x_include: 'on', a_x_text: 'Texte', a_x_summary: 'Bref', free_1_text: 'Libre' },
      { argumentIds: ['x'], argumentOrders: { x: 15 }, purposes: ['letter'], addressees: ['hr'] },
    );
    assert.deepEqual(errors, {});
    assert.deepEqual(draft, {
      purpose: 'letter',
      addressee: 'hr',
      annex: true,
      sections: [
        { argumentId: 'x', title: '', text: 'Texte', summary: 'Bref', order: 15 },
        { argumentId: null, title: 'Observations complémentaires', text: 'Libre', summary: '', order: 91 },
      ],
    });
  });

  it('a declaration\'s sections carry their block\'s title; a free one may have none', () => {
    const { sections, errors } = readSections({ b_intro_include: 'on', b_intro_text: 'Texte', free_1_text: 'Libre' }, [{ id: 'intro', title: 'Introduction', order: 1 }]);
    assert.deepEqual(errors, {});
    assert.deepEqual(sections, [
      { blockId: 'intro', title: 'Introduction', text: 'Texte', order: 1 },
      { blockId: null, title: '', text: 'Libre', order: 91 },
    ]);
    assert.equal(readSections({}, []).errors._form, DECLARATION_COMPOSER.nothingKept);
  });
});
