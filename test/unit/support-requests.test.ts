import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STALE_REQUEST_HOURS, hoursWaiting, isStale, staleSince, stillOpen, waitingText } from '../../src/domain/support-requests';

const now = new Date('2026-11-23T10:30:00.000Z');

describe('stillOpen', () => {
  const cases: Array<[string, string, number | null, boolean]> = [
    ['received, no case', 'received', null, true],
    ['taken, no case', 'taken', null, true],
    ['received, a case opened from it', 'received', 12, false],
    ['taken, a case opened from it', 'taken', 12, false],
    ['case opened', 'case_opened', 12, false],
    ['closed', 'closed', null, false],
    ['duplicate', 'duplicate', null, false],
  ];
  for (const [name, status, caseId, expected] of cases) {
    it(`${name}: ${expected ? 'may still be closed or merged' : 'may not'}`, () => {
      assert.equal(stillOpen({ status, caseId }), expected);
    });
  }
});

describe('staleSince', () => {
  it('is STALE_REQUEST_HOURS before now, written as stored instants are', () => {
    assert.equal(STALE_REQUEST_HOURS, 48);
    assert.equal(staleSince(now), '2026-11-21T10:30:00.000Z');
  });

  it('counts hours, not calendar days, across a clock change', () => {
    assert.equal(staleSince(new Date('2026-03-30T12:00:00.000Z')), '2026-03-28T12:00:00.000Z');
  });

  it('agrees with isStale at the boundary', () => {
    const createdAt = staleSince(now);
    const request = { status: 'received', assignedUserId: null, createdAt };
    assert.equal(isStale(request, now), true, 'exactly 48 hours: stale');
    assert.equal(isStale({ ...request, createdAt: '2026-11-21T10:30:00.001Z' }, now), false, 'a millisecond less: not yet');
  });
});

describe('isStale', () => {
  const old = '2026-11-20T10:30:00.000Z';
  const cases: Array<[string, { status: string; assignedUserId: number | null; createdAt: string }, boolean]> = [
    ['received three days ago, nobody on it', { status: 'received', assignedUserId: null, createdAt: old }, true],
    ['received three days ago, assigned', { status: 'received', assignedUserId: 4, createdAt: old }, false],
    ['taken three days ago', { status: 'taken', assignedUserId: null, createdAt: old }, false],
    ['closed three days ago', { status: 'closed', assignedUserId: null, createdAt: old }, false],
    ['received an hour ago', { status: 'received', assignedUserId: null, createdAt: '2026-11-23T09:30:00.000Z' }, false],
  ];
  for (const [name, request, expected] of cases) {
    it(`${name}: ${expected ? 'stale' : 'not stale'}`, () => assert.equal(isStale(request, now), expected));
  }
});

describe('waitingText', () => {
  const cases: Array<[string, string, string]> = [
    ['just now', '2026-11-23T10:10:00.000Z', 'moins d’une heure'],
    ['an hour', '2026-11-23T09:30:00.000Z', '1 h'],
    ['47 hours', '2026-11-21T11:30:00.000Z', '47 h'],
    ['48 hours', '2026-11-21T10:30:00.000Z', '2 jours'],
    ['71 hours', '2026-11-20T11:30:00.000Z', '2 jours'],
    ['a clock set back', '2026-11-23T11:30:00.000Z', 'moins d’une heure'],
  ];
  for (const [name, createdAt, text] of cases) {
    it(`${name}: « ${text} »`, () => assert.equal(waitingText(hoursWaiting(createdAt, now)), text));
  }
});
