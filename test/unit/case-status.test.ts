import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CaseEvent } from '../../src/domain/case-events';
import { statusFromEvents } from '../../src/domain/case-status';

type Timeline = Array<Pick<CaseEvent, 'type' | 'date'>>;

const CASES: Array<{ name: string; events: Timeline; status: 'open' | 'closed' }> = [
  { name: 'an empty timeline', events: [], status: 'open' },
  { name: 'steps without a closing', events: [{ type: 'convocation_received', date: '2024-09-02' }, { type: 'interview_held', date: '2024-09-16' }], status: 'open' },
  { name: 'a closing', events: [{ type: 'interview_held', date: '2024-09-16' }, { type: 'closed', date: '2024-10-01' }], status: 'closed' },
  { name: 'an appeal after the closing', events: [{ type: 'closed', date: '2024-10-01' }, { type: 'appeal', date: '2024-10-15' }], status: 'open' },
  { name: 'a closing after the appeal', events: [{ type: 'closed', date: '2024-10-01' }, { type: 'appeal', date: '2024-10-15' }, { type: 'closed', date: '2024-12-01' }], status: 'closed' },
  // By date, not by the order they were entered in: a closing typed first but dated later still closes.
  { name: 'entered out of order, closing dated last', events: [{ type: 'closed', date: '2024-12-01' }, { type: 'appeal', date: '2024-10-15' }], status: 'closed' },
  { name: 'entered out of order, appeal dated last', events: [{ type: 'appeal', date: '2024-12-01' }, { type: 'closed', date: '2024-10-01' }], status: 'open' },
  // The same day: the one entered last wins (the sort is stable).
  { name: 'closing then appeal the same day', events: [{ type: 'closed', date: '2024-10-01' }, { type: 'appeal', date: '2024-10-01' }], status: 'open' },
  { name: 'appeal then closing the same day', events: [{ type: 'appeal', date: '2024-10-01' }, { type: 'closed', date: '2024-10-01' }], status: 'closed' },
  { name: 'later steps do not reopen a closed case', events: [{ type: 'closed', date: '2024-10-01' }, { type: 'interview_held', date: '2024-11-01' }], status: 'closed' },
];

describe('statusFromEvents', () => {
  for (const { name, events, status } of CASES) {
    it(`${name}: ${status}`, () => {
      assert.equal(statusFromEvents(events), status);
    });
  }

  it('does not reorder the timeline it is given', () => {
    const events: Timeline = [{ type: 'closed', date: '2024-12-01' }, { type: 'appeal', date: '2024-10-15' }];
    statusFromEvents(events);
    assert.deepEqual(events.map((e) => e.type), ['closed', 'appeal']);
  });
});
