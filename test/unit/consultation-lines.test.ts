import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeLineProblems, duplicatesSummary, instantKey, parseConsultationLines, readSingleConsultation } from '../../src/domain/consultation-lines';
import { PARIS_TERRITORY, territoryOf } from '../../src/domain/territories';

const PARIS = PARIS_TERRITORY;
const REUNION = territoryOf('REU');
const MARTINIQUE = territoryOf('MTQ');

const NONEXISTENT = 'heure qui n’a pas existé (passage à l’heure d’été)';
const AMBIGUOUS = 'heure passée deux fois (passage à l’heure d’hiver) : ajoutez « (été) » ou « (hiver) » en fin de ligne';

describe('parseConsultationLines: one consultation a line, in the agent’s clock', () => {
  it('reads a list, and says per line what is wrong or already there', () => {
    const text = [
      '14/05/2024 21:15', // 1
      '14/05/24 21h15', // 2: the same instant as line 1
      'hier soir', // 3
      '', // 4: blank, skipped but counted
      '30/03/2025 02:30', // 5: spring forward (Sunday 30 March 2025)
      '26/10/2025 02:30', // 6: fall back (Sunday 26 October 2025), no fold
      '26/10/2025 02:30 (été)', // 7
      '26/10/2025 02h30 (hiver)', // 8
      '2024-05-14T21:15', // 9: line 1 again
      '  18/05/2024 à 10 h 05  ', // 10
    ].join('\n');
    const parsed = parseConsultationLines(text, PARIS);
    assert.deepEqual(parsed.instants, ['2024-05-14T19:15:00Z', '2025-10-26T00:30:00Z', '2025-10-26T01:30:00Z', '2024-05-18T08:05:00Z']);
    assert.deepEqual(parsed.errors, [
      { line: 3, text: 'hier soir', kind: 'unreadable', message: 'date ou heure illisible' },
      { line: 5, text: '30/03/2025 02:30', kind: 'nonexistent', message: NONEXISTENT },
      { line: 6, text: '26/10/2025 02:30', kind: 'ambiguous', message: AMBIGUOUS },
    ]);
    assert.deepEqual(parsed.duplicates, [
      { line: 2, text: '14/05/24 21h15', kind: 'duplicate', message: 'déjà saisie (ligne 1)' },
      { line: 9, text: '2024-05-14T21:15', kind: 'duplicate', message: 'déjà saisie (ligne 1)' },
    ]);
  });

  it('phrases the problems for the form', () => {
    const parsed = parseConsultationLines('14/05/2024 21:15\n14/05/2024 21h15\n30/03/2025 02:30', PARIS);
    assert.equal(describeLineProblems(parsed.errors), `ligne 3 (« 30/03/2025 02:30 ») : ${NONEXISTENT}`);
    assert.equal(describeLineProblems(parsed.duplicates), 'ligne 2 (« 14/05/2024 21h15 ») : déjà saisie (ligne 1)');
    assert.equal(describeLineProblems([...parsed.duplicates, ...parsed.errors]), `ligne 2 (« 14/05/2024 21h15 ») : déjà saisie (ligne 1) ; ligne 3 (« 30/03/2025 02:30 ») : ${NONEXISTENT}`);
    assert.equal(describeLineProblems([]), '');
  });

  it('a consultation already on the case is a duplicate, whatever the spelling of its instant', () => {
    const line = '14/05/2024 21:15';
    for (const existing of ['2024-05-14T19:15:00Z', '2024-05-14T19:15:00.000Z', '2024-05-14T21:15:00+02:00', '2024-05-14T19:15Z']) {
      const parsed = parseConsultationLines(`${line}\n14/05/2024 22:00`, PARIS, { existing: [existing] });
      assert.deepEqual(parsed.instants, ['2024-05-14T20:00:00Z'], existing);
      assert.deepEqual(parsed.duplicates, [{ line: 1, text: line, kind: 'duplicate', message: 'déjà saisie' }], existing);
      assert.deepEqual(parsed.errors, []);
    }
    assert.equal(instantKey('2024-05-14T21:15:00+02:00'), instantKey('2024-05-14T19:15:00.000Z'));
  });

  it('seconds tell two consultations of one minute apart', () => {
    const parsed = parseConsultationLines('14/05/2024 21:15:07\n14/05/2024 21:15:41\n14/05/2024 21:15:07', PARIS);
    assert.deepEqual(parsed.instants, ['2024-05-14T19:15:07Z', '2024-05-14T19:15:41Z']);
    assert.deepEqual(parsed.duplicates.map((d) => [d.line, d.message]), [[3, 'déjà saisie (ligne 1)']]);
  });

  it('a fold mark per line: the two 02:30 of one night are two, the same one twice is a duplicate', () => {
    const parsed = parseConsultationLines('26/10/2025 02:30 (hiver)\n26/10/2025 02:30 (heure d’été)\n26/10/2025 02:30 hiver', PARIS);
    assert.deepEqual(parsed.instants, ['2025-10-26T01:30:00Z', '2025-10-26T00:30:00Z']);
    assert.deepEqual(parsed.duplicates.map((d) => [d.line, d.message]), [[3, 'déjà saisie (ligne 1)']]);
    assert.deepEqual(parsed.errors, []);
  });

  it('the zone matters: the same text is another instant in La Réunion, with no clock change there', () => {
    const text = '14/05/2024 21:15\n30/03/2025 02:30\n26/10/2025 02:30';
    assert.deepEqual(parseConsultationLines(text, PARIS).instants, ['2024-05-14T19:15:00Z']);
    const reunion = parseConsultationLines(text, REUNION);
    assert.deepEqual(reunion.instants, ['2024-05-14T17:15:00Z', '2025-03-29T22:30:00Z', '2025-10-25T22:30:00Z']);
    assert.deepEqual(reunion.errors, []);
    assert.deepEqual(parseConsultationLines('14/05/2024 21:15', MARTINIQUE).instants, ['2024-05-15T01:15:00Z']);
  });

  it('a Paris instant already on the case is not the same as the same wall time in La Réunion', () => {
    const parsed = parseConsultationLines('14/05/2024 21:15', REUNION, { existing: ['2024-05-14T19:15:00Z'] });
    assert.deepEqual(parsed.instants, ['2024-05-14T17:15:00Z']);
    assert.deepEqual(parsed.duplicates, []);
  });

  it('reads Windows line endings, skips blank lines, and shows at most 60 characters of a line', () => {
    const long = `14/05/2024 21:15 ${'x'.repeat(80)}`;
    const parsed = parseConsultationLines(`14/05/2024 21:15\r\n\r\n   \r\n${long}\r\n15/05/2024 08:00\r\n`, PARIS);
    assert.deepEqual(parsed.instants, ['2024-05-14T19:15:00Z', '2024-05-15T06:00:00Z']);
    assert.deepEqual(parsed.errors.map((e) => [e.line, e.kind, e.text.length]), [[4, 'unreadable', 60]]);
    assert.deepEqual(parseConsultationLines('', PARIS), { instants: [], errors: [], duplicates: [] });
  });

  it('refuses a list longer than the limit, as a whole', () => {
    const parsed = parseConsultationLines('14/05/2024 21:15\n14/05/2024 21:16\n14/05/2024 21:17', PARIS, { maxLines: 2 });
    assert.deepEqual(parsed.errors, [{ line: 0, text: '', kind: 'unreadable', message: 'plus de 2 lignes' }]);
    assert.equal(describeLineProblems(parsed.errors), 'plus de 2 lignes');
    assert.deepEqual(parseConsultationLines('14/05/2024 21:15\n14/05/2024 21:16', PARIS, { maxLines: 2 }).errors, []);
    // Unreadable lines count too: a list too long is refused as such, not line by line.
    const unreadable = parseConsultationLines('x\ny\nz', PARIS, { maxLines: 2 });
    assert.equal(unreadable.errors.at(-1)?.message, 'plus de 2 lignes');
  });
});

describe('readSingleConsultation: one time typed in a form', () => {
  it('reads a time in the agent’s zone', () => {
    assert.deepEqual(readSingleConsultation('14/05/2024 21h15', PARIS, undefined), { ok: true, at: '2024-05-14T19:15:00Z' });
    assert.deepEqual(readSingleConsultation('14/05/2024 21h15', REUNION, undefined), { ok: true, at: '2024-05-14T17:15:00Z' });
  });

  it('an unreadable time: an example, in the agent’s clock', () => {
    assert.deepEqual(readSingleConsultation('mardi soir', REUNION, undefined), {
      ok: false,
      kind: 'unreadable',
      message: 'Date et heure illisibles : indiquez le jour et l’heure, en heure de La Réunion (exemple : 14/05/2024 21:15 ou 14/05/24 21h15).',
    });
    assert.match((readSingleConsultation('', PARIS, undefined) as { message: string }).message, /en heure de Paris \(exemple/);
  });

  it('a time the clocks skipped is refused, whatever the fold', () => {
    for (const fold of [undefined, 'summer', 'winter'] as const) {
      assert.deepEqual(readSingleConsultation('30/03/2025 02:30', PARIS, fold), {
        ok: false,
        kind: 'nonexistent',
        message: 'Le 30/03/2025 à 02:30 n’a pas existé en heure de Paris : cette nuit-là, les horloges ont avancé d’une heure (passage à l’heure d’été). Vérifiez l’heure relevée.',
      });
    }
  });

  it('a time the clocks passed twice needs the rep’s answer, then reads', () => {
    assert.deepEqual(readSingleConsultation('26/10/2025 02:30', PARIS, undefined), {
      ok: false,
      kind: 'ambiguous',
      message: 'Le 26/10/2025 à 02:30 a eu lieu deux fois en heure de Paris : cette nuit-là, les horloges ont reculé d’une heure (passage à l’heure d’hiver). Précisez s’il s’agit de la première (heure d’été) ou de la seconde (heure d’hiver).',
    });
    assert.deepEqual(readSingleConsultation('26/10/2025 02:30', PARIS, 'summer'), { ok: true, at: '2025-10-26T00:30:00Z' });
    assert.deepEqual(readSingleConsultation('26/10/2025 02:30', PARIS, 'winter'), { ok: true, at: '2025-10-26T01:30:00Z' });
    assert.deepEqual(readSingleConsultation('26/10/2025 02:30 (hiver)', PARIS, 'summer'), { ok: true, at: '2025-10-26T01:30:00Z' }, 'the text’s own mark wins');
    assert.deepEqual(readSingleConsultation('26/10/2025 02:30', REUNION, undefined), { ok: true, at: '2025-10-25T22:30:00Z' });
  });

  it('a consultation already on the case, in any ISO spelling', () => {
    for (const existing of ['2024-05-14T19:15:00Z', '2024-05-14T19:15:00.000Z', '2024-05-14T21:15:00+02:00']) {
      assert.deepEqual(readSingleConsultation(' 14/05/2024 21:15 ', PARIS, undefined, ['2024-01-01T10:00:00Z', existing]), {
        ok: false,
        kind: 'duplicate',
        message: 'Cette consultation est déjà saisie sur ce dossier : 14/05/2024 21:15, heure de Paris.',
      });
    }
    // The time as stored, with the clock chosen for a time the clocks passed twice; not the raw text.
    assert.deepEqual(readSingleConsultation('27/10/2024 02:30', PARIS, 'winter', ['2024-10-27T01:30:00Z']), {
      ok: false,
      kind: 'duplicate',
      message: 'Cette consultation est déjà saisie sur ce dossier : 27/10/2024 02:30 (heure d’hiver), heure de Paris.',
    });
    assert.match((readSingleConsultation('27/10/24 2h30 (été)', PARIS, undefined, ['2024-10-27T00:30:00Z']) as { message: string }).message, /: 27\/10\/2024 02:30 \(heure d’été\), heure de Paris\.$/);
    assert.deepEqual(readSingleConsultation('14/05/2024 21:15', REUNION, undefined, ['2024-05-14T19:15:00Z']), { ok: true, at: '2024-05-14T17:15:00Z' });
  });
});

describe('duplicatesSummary: a long list of lines already entered, in one sentence', () => {
  const dup = (line: number) => ({ line, text: '14/05/2024 21:15', kind: 'duplicate' as const, message: 'déjà saisie' });
  it('names each line up to ten, summarises past that', () => {
    assert.equal(duplicatesSummary([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(dup)), null);
    assert.equal(duplicatesSummary(Array.from({ length: 497 }, (_, i) => dup(i + 1))), '497 lignes déjà saisies (lignes 1 à 497)');
    assert.equal(duplicatesSummary([3, 4, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18].map(dup)), '12 lignes déjà saisies, dont les lignes 3, 4, 9, 10, 11, 12, 13, 14, 15, 16…');
  });

  it('a re-pasted list of 500 lines is 500 duplicates, summarised', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `14/05/2024 ${String(Math.floor(i / 60) + 10).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`);
    const first = parseConsultationLines(lines.join('\n'), PARIS);
    const again = parseConsultationLines(lines.join('\n'), PARIS, { existing: first.instants });
    assert.equal(again.duplicates.length, 500);
    assert.equal(duplicatesSummary(again.duplicates), '500 lignes déjà saisies (lignes 1 à 500)');
  });
});
