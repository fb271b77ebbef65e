import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileText } from '../../src/legal/template-engine';

describe('document texts', () => {
  const sentence = compileText('Entretiens tenus dont nous avons connaissance : {{value}}. Suite.');
  for (const [value, expected] of [
    ['12', 'Entretiens tenus dont nous avons connaissance\u202F: 12. Suite.'],
    ['n.c.', 'Entretiens tenus dont nous avons connaissance\u202F: n.c. Suite.'],
    ['moins de 5', 'Entretiens tenus dont nous avons connaissance\u202F: moins de 5. Suite.'],
    ['etc...', 'Entretiens tenus dont nous avons connaissance\u202F: etc.... Suite.'],
  ] as const) {
    it(`ends a sentence whose value is « ${value} » with the stops it needs`, () => {
      assert.equal(sentence({ value }), expected);
    });
  }
});
