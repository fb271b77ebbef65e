/** Which legal references a brief may cite for an agent's employment status (src/domain/citations.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ReferenceScope, citableFor } from '../../src/domain/citations';

describe('citableFor', () => {
  const table: Array<[ReferenceScope, string, boolean]> = [
    ['private', 'private', true],
    ['private', 'public', false],
    ['private', 'unknown', true],
    ['public', 'private', false],
    ['public', 'public', true],
    ['public', 'unknown', true],
    ['all', 'private', true],
    ['all', 'public', true],
    ['all', 'unknown', true],
  ];
  for (const [appliesTo, status, expected] of table) {
    it(`a reference for ${appliesTo} law, an agent under ${status} law: ${expected ? 'cited' : 'not cited'}`, () => {
      assert.equal(citableFor({ appliesTo }, status), expected);
    });
  }
});
