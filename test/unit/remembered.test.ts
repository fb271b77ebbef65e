import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { remembered } from '../../src/domain/remembered';
import { addMonths, addYears, frenchDate } from '../../src/domain/french-dates';
import { nextDay, weekdayOf } from '../../src/domain/working-days';

describe('remembered', () => {
  it('computes each key once, and answers the same again', () => {
    const computed: string[] = [];
    const upper = remembered((key) => {
      computed.push(key);
      return key.toUpperCase();
    });
    assert.deepEqual(['a', 'b', 'a', 'a', 'b'].map(upper), ['A', 'B', 'A', 'A', 'B']);
    assert.deepEqual(computed, ['a', 'b']);
  });

  it('keeps an undefined answer too', () => {
    let calls = 0;
    const none = remembered(() => {
      calls += 1;
      return undefined;
    });
    none('x');
    none('x');
    assert.equal(calls, 1);
  });

  it('stays within its bound, and still answers right once emptied', () => {
    let calls = 0;
    const double = remembered((key) => {
      calls += 1;
      return Number(key) * 2;
    }, 3);
    for (const key of ['1', '2', '3', '4', '1']) assert.equal(double(key), Number(key) * 2);
    assert.equal(calls, 5, 'the fourth key emptied the answers, so the first was computed again');
  });
});

describe('the remembered date functions answer as before, asked in any order', () => {
  const cases: Array<[string, () => unknown, unknown]> = [
    ['addMonths 31 Dec + 2', () => addMonths('2023-12-31', 2), '2024-02-29'],
    ['addMonths again, other count', () => addMonths('2023-12-31', 1), '2024-01-31'],
    ['addYears 29 Feb + 1', () => addYears('2024-02-29', 1), '2025-02-28'],
    ['addMonths and addYears do not share answers', () => [addMonths('2024-01-15', 12), addYears('2024-01-15', 1), addMonths('2024-01-15', 1)], ['2025-01-15', '2025-01-15', '2024-02-15']],
    ['frenchDate first of the month', () => frenchDate('2024-09-01'), '1er septembre 2024'],
    ['frenchDate again', () => frenchDate('2024-09-01'), '1er septembre 2024'],
    ['nextDay across a year', () => nextDay('2024-12-31'), '2025-01-01'],
    ['weekdayOf a Sunday', () => weekdayOf('2024-09-01'), 7],
  ];
  for (const [title, run, expected] of cases) it(title, () => assert.deepEqual(run(), expected));
});
