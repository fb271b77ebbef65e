import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { retentionLimits } from '../../src/domain/retention';

describe('retentionLimits', () => {
  const now = new Date('2026-11-23T10:30:00.000Z');

  it('counts each period back from now, as ISO instants comparable with stored ones', () => {
    assert.deepEqual(retentionLimits(now, { closedCaseDays: 1095, requestDays: 90, auditDays: 365 }), {
      closedCasesIdleBefore: '2023-11-24T10:30:00.000Z',
      requestsIdleBefore: '2026-08-25T10:30:00.000Z',
      auditBefore: '2025-11-23T10:30:00.000Z',
    });
  });

  it('keeps a record exactly one period old until the next instant', () => {
    const { auditBefore } = retentionLimits(now, { closedCaseDays: 1, requestDays: 1, auditDays: 1 });
    const written = '2026-11-22T10:30:00.000Z';
    assert.equal(written < auditBefore, false, 'written exactly one day ago: kept');
    assert.equal('2026-11-22T10:29:59.999Z' < auditBefore, true, 'a millisecond older: purged');
  });
});
