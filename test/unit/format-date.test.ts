import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDate } from '../../src/web/helpers/format-date';

describe('formatDate (the views’ date helper)', () => {
  const cases: Array<[unknown, string]> = [
    ['2024-09-03', '3 septembre 2024'],
    ['2024-09-01', '1er septembre 2024'],
    ['2024-09-01', '1er septembre 2024'], // again: from the kept dates, the same text
    ['2024-12-31T23:30:00Z', '1er janvier 2025'], // an instant, in Paris time
    ['pas une date', ''],
    ['', ''],
    [undefined, ''],
    [20240903, ''],
  ];
  for (const [value, expected] of cases) {
    it(`${JSON.stringify(value)} → ${JSON.stringify(expected)}`, () => assert.equal(formatDate(value), expected));
  }
});
