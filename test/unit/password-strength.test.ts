import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BETTER_PASSWORD,
  type RecognisedPattern,
  type Weakness,
  judgePassword,
  personalWords,
} from '../../src/domain/password-strength';

const word = (start: number, end: number, dictionaryName = 'commonWords-fr'): RecognisedPattern => ({ pattern: 'dictionary', dictionaryName, start, end });
const other = (pattern: string, start: number, end: number): RecognisedPattern => ({ pattern, start, end });
const brute = (start: number, end: number) => other('bruteforce', start, end);

describe('password strength rule', () => {
  const cases: { name: string; score: number; length: number; patterns: RecognisedPattern[]; expected: Weakness | 'ok' }[] = [
    { name: 'a strong phrase', score: 4, length: 31, patterns: [word(0, 7), brute(8, 8), word(9, 15), brute(16, 31)], expected: 'ok' },
    { name: 'the lowest accepted score', score: 3, length: 12, patterns: [word(0, 5), other('regex', 6, 9), brute(10, 11)], expected: 'ok' },
    { name: 'a common password, whole', score: 1, length: 12, patterns: [word(0, 11, 'passwords-common')], expected: 'common' },
    { name: 'a common password, whole, even when it scores well', score: 4, length: 20, patterns: [word(0, 19, 'passwords-common')], expected: 'common' },
    { name: 'the user’s own email, whole, even when it scores well', score: 3, length: 18, patterns: [word(0, 17, 'userInputs')], expected: 'personal' },
    { name: 'a common password inside a strong one', score: 4, length: 30, patterns: [word(0, 7, 'passwords-common'), brute(8, 29)], expected: 'ok' },
    { name: 'a weak one with the user’s name first', score: 1, length: 14, patterns: [word(0, 9, 'userInputs'), other('regex', 10, 13)], expected: 'personal' },
    { name: 'a weak one with a common password in it', score: 2, length: 13, patterns: [word(0, 8, 'passwords-common'), other('sequence', 9, 12)], expected: 'common' },
    { name: 'repeated characters', score: 0, length: 12, patterns: [other('repeat', 0, 11)], expected: 'repeated' },
    { name: 'a sequence', score: 1, length: 12, patterns: [other('sequence', 0, 11)], expected: 'sequence' },
    { name: 'keyboard neighbours', score: 1, length: 14, patterns: [other('spatial', 0, 9), other('sequence', 10, 13)], expected: 'keyboard' },
    { name: 'a date', score: 2, length: 14, patterns: [other('date', 0, 9), brute(10, 13)], expected: 'date' },
    { name: 'a recent year', score: 2, length: 12, patterns: [brute(0, 7), other('regex', 8, 11)], expected: 'date' },
    { name: 'by the pattern covering most of it', score: 1, length: 14, patterns: [other('sequence', 0, 2), other('repeat', 3, 13)], expected: 'repeated' },
    { name: 'common words', score: 2, length: 16, patterns: [word(0, 7), word(8, 15, 'firstnames-fr')], expected: 'word' },
    { name: 'nothing recognised, yet too short to resist', score: 2, length: 12, patterns: [brute(0, 11)], expected: 'guessable' },
  ];
  for (const c of cases) {
    it(`${c.expected === 'ok' ? 'accepts' : 'refuses'} ${c.name}`, () => {
      const verdict = judgePassword({ score: c.score, length: c.length, patterns: c.patterns });
      if (c.expected === 'ok') {
        assert.deepEqual(verdict, { ok: true });
        return;
      }
      assert.equal(verdict.ok, false);
      if (verdict.ok) return;
      assert.equal(verdict.weakness, c.expected);
      assert.ok(verdict.message.endsWith(BETTER_PASSWORD), 'always says what works better');
      assert.match(verdict.message, /^Ce mot de passe /);
    });
  }

  it('advises a phrase of several words', () => {
    assert.match(BETTER_PASSWORD, /phrase de quatre mots ou plus/);
  });
});

describe('personal words given to the estimate', () => {
  const cases: { person: { email?: string; name?: string }; expected: string[] }[] = [
    {
      person: { email: ' Jean.Dupont@CGT-FT.fr ', name: 'Jean Dupont' },
      expected: ['jean.dupont@cgt-ft.fr', 'jean.dupont', 'jean', 'dupont', 'jean dupont', 'jeandupont'],
    },
    { person: { email: 'm-l.o@exemple.fr', name: 'Marie-Lou d’Arc' }, expected: ['m-l.o@exemple.fr', 'm-l.o', 'marie-lou d’arc', 'marie', 'lou', 'arc', 'marieloudarc'] },
    { person: {}, expected: [] },
  ];
  for (const c of cases) {
    it(`lists ${JSON.stringify(c.person)}`, () => assert.deepEqual(personalWords(c.person), c.expected));
  }
});
