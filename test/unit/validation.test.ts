import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { idParam, optionalIsoDate } from '../../src/web/validation';

describe('dates typed by a person', () => {
  const date = optionalIsoDate('La date');
  const table: Array<[string | undefined, string | null | 'error']> = [
    ['2024-09-16', '2024-09-16'],
    ['16/09/2024', '2024-09-16'],
    ['6/9/2024', '2024-09-06'],
    ['', null],
    [undefined, null],
    ['31/02/2024', 'error'],
    ['2024-02-30', 'error'],
    ['jeudi', 'error'],
  ];
  for (const [input, expected] of table) {
    it(`${JSON.stringify(input)} → ${expected}`, () => {
      const result = date.safeParse(input);
      if (expected === 'error') assert.equal(result.success, false);
      else assert.deepEqual(result.success && result.data, expected);
    });
  }
});

describe('route ids', () => {
  for (const [input, ok] of [['1', true], ['42', true], ['0', false], ['01', false], ['0x1', false], ['1e0', false], ['abc', false], ['-1', false]] as const) {
    it(`${input} is ${ok ? 'an id' : 'not an id'}`, () => assert.equal(idParam.safeParse(input).success, ok));
  }
});
