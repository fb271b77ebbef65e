import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  RECOVERY_ALPHABET,
  candidateSteps,
  decideCode,
  readSecondFactorInput,
  recoveryCodeFrom,
  secondFactorStep,
  timeStepAt,
} from '../../src/domain/second-factor';
import { createSecretBox } from '../../src/auth/secret-box';
import { matchingStep, totpCodeAt } from '../../src/auth/totp';

describe('TOTP time steps', () => {
  it('counts 30-second steps since 1970, the current step tried first, one step either side', () => {
    const cases: Array<[string, number]> = [
      ['1970-01-01T00:00:29.999Z', 0],
      ['1970-01-01T00:00:30.000Z', 1],
      ['2025-03-10T09:00:00.000Z', 58053240],
      ['2025-03-10T09:00:29.000Z', 58053240],
    ];
    for (const [at, step] of cases) assert.equal(timeStepAt(new Date(at)), step, at);
    assert.deepEqual(candidateSteps(100), [100, 99, 101]);
    assert.deepEqual(candidateSteps(100, 2), [100, 99, 101, 98, 102]);
  });

  it('RFC 6238 test vector: the code of a step, found in the window and not outside it', () => {
    // RFC 6238 appendix B (SHA-1 key "12345678901234567890"), last six digits at T = 59 s.
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    assert.equal(totpCodeAt(secret, 1), '287082');
    const at = (seconds: number) => new Date(seconds * 1000);
    const cases: Array<[number, number | null]> = [[59, 1], [30, 1], [89, 1], [60, 1], [0, 1], [119, null], [120, null]];
    for (const [seconds, step] of cases) assert.equal(matchingStep(secret, '287082', at(seconds)), step, `${seconds} s`);
    assert.equal(matchingStep(secret, '287083', at(59)), null);
  });
});

describe('decideCode: a code is accepted once', () => {
  const cases: Array<{ matched: number | null; last: number | null; expected: ReturnType<typeof decideCode>; why: string }> = [
    { matched: null, last: null, expected: { kind: 'wrong' }, why: 'no step matched' },
    { matched: null, last: 10, expected: { kind: 'wrong' }, why: 'no step matched, even after a use' },
    { matched: 10, last: null, expected: { kind: 'accepted', step: 10 }, why: 'first code ever' },
    { matched: 11, last: 10, expected: { kind: 'accepted', step: 11 }, why: 'a later step' },
    { matched: 10, last: 10, expected: { kind: 'replayed' }, why: 'the same step again' },
    { matched: 9, last: 10, expected: { kind: 'replayed' }, why: 'an older code after a newer one' },
  ];
  for (const c of cases) it(c.why, () => assert.deepEqual(decideCode(c.matched, c.last), c.expected));
});

describe('recovery codes', () => {
  it('are ten letters of the unambiguous alphabet in two groups of five, one per usable byte', () => {
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
    const code = recoveryCodeFrom(bytes);
    assert.match(code ?? '', /^[a-z2-9]{5}-[a-z2-9]{5}$/);
    for (const c of (code ?? '').replace('-', '')) assert.ok(RECOVERY_ALPHABET.includes(c));
    assert.equal(recoveryCodeFrom(Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])), 'abcde-fghjk');
    // Bytes from 248 up would favour the first letters: skipped.
    assert.equal(recoveryCodeFrom(Uint8Array.from([248, 255, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9])), 'abcde-fghjk');
    assert.equal(recoveryCodeFrom(Uint8Array.from([0, 1, 2, 250])), null);
  });

  it('typed input is read as a code of the app, a recovery code, or neither', () => {
    const cases: Array<[string, ReturnType<typeof readSecondFactorInput>]> = [
      ['123456', { kind: 'totp', code: '123456' }],
      [' 123 456 ', { kind: 'totp', code: '123456' }],
      ['12345', { kind: 'invalid' }],
      ['1234567', { kind: 'invalid' }],
      ['abcde-fghjk', { kind: 'recovery', code: 'abcde-fghjk' }],
      ['ABCDE FGHJK', { kind: 'recovery', code: 'abcde-fghjk' }],
      ['abcdefghjk', { kind: 'recovery', code: 'abcde-fghjk' }],
      ['abcde-fghjl', { kind: 'invalid' }],
      ['abcde-fghj', { kind: 'invalid' }],
      ['', { kind: 'invalid' }],
    ];
    for (const [raw, expected] of cases) assert.deepEqual(readSecondFactorInput(raw), expected, raw);
  });
});

describe('secondFactorStep: what follows a right password', () => {
  const cases: Array<[role: 'admin' | 'rep', enrolled: boolean, requiredForReps: boolean, step: string]> = [
    ['admin', true, false, 'code'],
    ['admin', false, false, 'enrol'],
    ['admin', false, true, 'enrol'],
    ['rep', true, false, 'code'],
    ['rep', false, false, 'none'],
    ['rep', false, true, 'enrol'],
    ['rep', true, true, 'code'],
  ];
  for (const [role, enrolled, requiredForReps, step] of cases) {
    it(`${role}, ${enrolled ? 'enrolled' : 'not enrolled'}, reps ${requiredForReps ? 'required' : 'free'}: ${step}`, () => {
      assert.equal(secondFactorStep({ role, enrolled, requiredForReps }), step);
    });
  }
});

describe('secret box', () => {
  const box = createSecretBox('test-secret-'.padEnd(48, 'x'));
  it('opens what it sealed for the same account only, and nothing sealed under another server secret', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'user:1');
    assert.doesNotMatch(sealed, /JBSWY3DPEHPK3PXP/);
    assert.notEqual(box.seal('JBSWY3DPEHPK3PXP', 'user:1'), sealed, 'a fresh nonce each time');
    assert.equal(box.open(sealed, 'user:1'), 'JBSWY3DPEHPK3PXP');
    assert.equal(box.open(sealed, 'user:2'), null);
    assert.equal(createSecretBox('another-secret-'.padEnd(48, 'y')).open(sealed, 'user:1'), null);
    const tampered = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}A`;
    assert.equal(box.open(tampered, 'user:1'), null);
    assert.equal(box.open('v0.abc', 'user:1'), null);
  });
  it('hashes recovery codes with a key: same code same hash, never the code itself', () => {
    assert.equal(box.hashRecoveryCode('abcde-fghjk'), box.hashRecoveryCode('abcde-fghjk'));
    assert.notEqual(box.hashRecoveryCode('abcde-fghjk'), box.hashRecoveryCode('abcde-fghjm'));
    assert.notEqual(createSecretBox('another-secret-'.padEnd(48, 'y')).hashRecoveryCode('abcde-fghjk'), box.hashRecoveryCode('abcde-fghjk'));
  });
});
