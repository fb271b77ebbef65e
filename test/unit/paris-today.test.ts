import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parisToday } from '../../src/domain/french-dates';

/** "Today" for deadlines is the Paris date, across midnight and both clock changes; asked in any order. */
describe('parisToday', () => {
  const cases: Array<[string, string]> = [
    ['2026-01-15T22:59:59.999Z', '2026-01-15'], // 23:59:59 in Paris (UTC+1)
    ['2026-01-15T23:00:00.000Z', '2026-01-16'], // midnight in Paris
    ['2026-01-15T22:59:30.000Z', '2026-01-15'], // back within the minute before: not the last answer
    ['2026-07-15T21:59:59.000Z', '2026-07-15'], // summer time (UTC+2)
    ['2026-07-15T22:00:00.000Z', '2026-07-16'],
    ['2026-03-28T23:00:00.000Z', '2026-03-29'], // the night of the change to summer time
    ['2026-10-24T22:00:00.000Z', '2026-10-25'], // the night of the change back
    ['2026-10-25T22:59:00.000Z', '2026-10-25'],
    ['2026-10-25T23:00:00.000Z', '2026-10-26'],
  ];
  for (const [instant, expected] of cases) {
    it(`${instant} → ${expected}`, () => assert.equal(parisToday(new Date(instant)), expected));
  }
  it('gives the same date asked twice in the same minute', () => {
    const at = new Date('2026-05-01T10:00:10Z');
    assert.equal(parisToday(at), parisToday(new Date('2026-05-01T10:00:50Z')));
  });
});
