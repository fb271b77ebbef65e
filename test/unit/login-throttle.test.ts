import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ACCOUNT_POLICY,
  ADDRESS_POLICY,
  type ThrottlePolicy,
  type ThrottleState,
  isLocked,
  registerFailure,
} from '../../src/domain/login-throttle';

const MINUTE = 60_000;
const T0 = new Date('2025-03-10T09:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);

/** A small policy so the table stays readable: 3 free failures, 2-minute first lock, 10-minute cap. */
const SMALL: ThrottlePolicy = { freeFailures: 3, baseLockMinutes: 2, maxLockMinutes: 10, windowMinutes: 30 };

/** Registers `count` failures one second apart from `start`; returns the final state. */
function failures(count: number, policy: ThrottlePolicy, start = T0): ThrottleState {
  let state: ThrottleState | undefined;
  for (let i = 0; i < count; i += 1) state = registerFailure(state, new Date(start.getTime() + i * 1000), policy);
  assert.ok(state);
  return state;
}

/** Lock length in minutes of a state, measured from its last failure; null when not locked. */
function lockMinutes(state: ThrottleState): number | null {
  return state.lockedUntil ? (state.lockedUntil.getTime() - state.lastFailureAt.getTime()) / MINUTE : null;
}

describe('registerFailure: lock length by number of consecutive failures', () => {
  /** Per policy, [consecutive failures, lock in minutes or null]. */
  const locks: Array<{ policy: string; p: ThrottlePolicy; counts: Array<[number, number | null]> }> = [
    {
      policy: 'small',
      p: SMALL,
      // below and at the threshold: counted, never locked; then the base lock, doubled by each
      // further failure, capped
      counts: [[1, null], [2, null], [3, null], [4, 2], [5, 4], [6, 8], [7, 10], [20, 10]],
    },
    {
      policy: 'account',
      p: ACCOUNT_POLICY,
      // 5 free, 1 minute, doubling up to one hour
      counts: [[5, null], [6, 1], [7, 2], [8, 4], [11, 32], [12, 60], [13, 60], [100, 60]],
    },
    // the address policy is roomier: 20 free
    { policy: 'address', p: ADDRESS_POLICY, counts: [[20, null], [21, 1], [22, 2], [40, 60]] },
  ];
  const table = locks.flatMap(({ policy, p, counts }) => counts.map(([count, lock]) => ({ policy, p, count, lock })));

  for (const { policy, p, count, lock } of table) {
    it(`${policy}: ${count} failure(s) → ${lock === null ? 'no lock' : `${lock} min`}`, () => {
      const state = failures(count, p);
      assert.equal(state.failures, count);
      assert.equal(lockMinutes(state), lock);
      assert.equal(state.lastFailureAt.getTime(), T0.getTime() + (count - 1) * 1000);
    });
  }
});

describe('registerFailure: the forgetting window', () => {
  const table: Array<{ label: string; gapMinutes: number; failures: number; locked: boolean }> = [
    { label: 'a failure right after the previous one counts on', gapMinutes: 0, failures: 4, locked: true },
    { label: 'a failure just inside the window counts on', gapMinutes: 30, failures: 4, locked: true },
    { label: 'a failure past the window starts again at 1', gapMinutes: 30.01, failures: 1, locked: false },
    { label: 'a failure long after starts again at 1', gapMinutes: 24 * 60, failures: 1, locked: false },
  ];

  for (const { label, gapMinutes, failures: expected, locked } of table) {
    it(label, () => {
      const before = failures(3, SMALL);
      const next = registerFailure(before, new Date(before.lastFailureAt.getTime() + gapMinutes * MINUTE), SMALL);
      assert.equal(next.failures, expected);
      assert.equal(next.lockedUntil !== null, locked);
    });
  }

  it('measures the window from the last failure, not the first', () => {
    let state = registerFailure(undefined, at(0), SMALL);
    state = registerFailure(state, at(25), SMALL);
    state = registerFailure(state, at(50), SMALL); // 50 min after the first, 25 after the last
    assert.equal(state.failures, 3);
  });

  it('forgets a locked history once the window has passed', () => {
    const locked = failures(6, SMALL);
    assert.equal(lockMinutes(locked), 8);
    const later = registerFailure(locked, new Date(locked.lastFailureAt.getTime() + 31 * MINUTE), SMALL);
    assert.deepEqual(later, { failures: 1, lastFailureAt: new Date(locked.lastFailureAt.getTime() + 31 * MINUTE), lockedUntil: null });
  });

  it('does not modify the state it is given', () => {
    const state = failures(3, SMALL);
    const copy = structuredClone(state);
    registerFailure(state, at(1), SMALL);
    assert.deepEqual(state, copy);
  });
});

describe('isLocked', () => {
  const lockedUntil = at(10);
  const state: ThrottleState = { failures: 6, lastFailureAt: at(0), lockedUntil };
  const table: Array<{ label: string; state: ThrottleState | undefined; now: Date; expected: Date | null }> = [
    { label: 'no history', state: undefined, now: at(0), expected: null },
    { label: 'failures without a lock', state: { failures: 2, lastFailureAt: at(0), lockedUntil: null }, now: at(0), expected: null },
    { label: 'during the lock', state, now: at(5), expected: lockedUntil },
    { label: 'one millisecond before the end', state, now: new Date(lockedUntil.getTime() - 1), expected: lockedUntil },
    { label: 'at the very end of the lock', state, now: lockedUntil, expected: null },
    { label: 'after the lock', state, now: at(11), expected: null },
  ];

  for (const { label, state: s, now, expected } of table) {
    it(`${label} → ${expected ? 'locked' : 'free'}`, () => {
      assert.deepEqual(isLocked(s, now), expected);
    });
  }

  it('a fresh failure after the lock ended locks again for twice as long', () => {
    const first = failures(4, SMALL); // 2 min
    const afterLock = new Date(first.lockedUntil!.getTime() + 1000);
    assert.equal(isLocked(first, afterLock), null);
    const second = registerFailure(first, afterLock, SMALL);
    assert.equal(lockMinutes(second), 4);
    assert.deepEqual(isLocked(second, afterLock), second.lockedUntil);
  });
});
