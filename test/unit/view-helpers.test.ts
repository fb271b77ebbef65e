import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasEntries } from '../../src/web/helpers/has-entries';

describe('hasEntries (error summaries)', () => {
  const cases: Array<[unknown, boolean]> = [
    [undefined, false],
    [null, false],
    [{}, false],
    [[], false],
    ['', false],
    ['texte', false],
    [0, false],
    [{ fullName: 'Indiquez le nom.' }, true],
    [['une erreur'], true],
  ];
  for (const [value, expected] of cases) {
    it(`${JSON.stringify(value) ?? 'undefined'} → ${expected}`, () => assert.equal(hasEntries(value), expected));
  }
});
