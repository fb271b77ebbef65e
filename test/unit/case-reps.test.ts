import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assignableReps, repsOutsideRegion } from '../../src/domain/case-reps';

const admin = { id: 1, name: 'Admin', role: 'admin', regions: [] };
const lille = { id: 2, name: 'Rep Lille', role: 'rep', regions: ['HDF'] };
const metz = { id: 3, name: 'Rep Metz', role: 'rep', regions: ['GES'] };
const both = { id: 4, name: 'Rep Nord-Est', role: 'rep', regions: ['HDF', 'GES'] };
const none = { id: 5, name: 'Rep sans région', role: 'rep', regions: [] };
const REPS = [admin, lille, metz, both, none];

describe('repsOutsideRegion', () => {
  const CASES: Array<{ name: string; chosen: number[]; region: string; outside: number[] }> = [
    { name: 'nobody chosen', chosen: [], region: 'HDF', outside: [] },
    { name: 'a rep of the region', chosen: [2], region: 'HDF', outside: [] },
    { name: 'a rep of another region', chosen: [3], region: 'HDF', outside: [3] },
    { name: 'an admin covers every region', chosen: [1], region: 'GUA', outside: [] },
    { name: 'a rep of several regions, one of them', chosen: [4], region: 'GES', outside: [] },
    { name: 'a rep of no region', chosen: [5], region: 'HDF', outside: [5] },
    { name: 'a mix: only those outside, in the list’s order', chosen: [5, 1, 3, 2], region: 'HDF', outside: [3, 5] },
    { name: 'an id of nobody listed is no rep', chosen: [99], region: 'HDF', outside: [] },
  ];
  for (const { name, chosen, region, outside } of CASES) {
    it(name, () => {
      assert.deepEqual(repsOutsideRegion(REPS, chosen, region).map((r) => r.id), outside);
    });
  }
});

describe('assignableReps', () => {
  const CASES: Array<{ name: string; scope: string[]; assignable: number[] }> = [
    { name: 'a rep of Hauts-de-France', scope: ['HDF'], assignable: [1, 2, 4] },
    { name: 'a rep of Grand Est', scope: ['GES'], assignable: [1, 3, 4] },
    { name: 'both regions', scope: ['HDF', 'GES'], assignable: [1, 2, 3, 4] },
    { name: 'no region: admins only', scope: [], assignable: [1] },
  ];
  for (const { name, scope, assignable } of CASES) {
    it(name, () => {
      assert.deepEqual(assignableReps(REPS, scope).map((r) => r.id), assignable);
    });
  }
});
