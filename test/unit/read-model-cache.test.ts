import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CaseData, ReadModelCache } from '../../src/cases/read-model-cache';

/** A read model that counts how often it was computed. */
function counted(value = 'v') {
  const model = { computations: 0, compute: async () => `${value}${++model.computations}` };
  return model;
}

describe('ReadModelCache', () => {
  it('computes a model once until what it reads changes', async () => {
    const cache = new ReadModelCache();
    const model = counted();
    assert.equal(await cache.get('k', ['cases'], model.compute), 'v1');
    assert.equal(await cache.get('k', ['cases'], model.compute), 'v1');
    assert.equal(model.computations, 1);
  });

  const cases: Array<{ reads: CaseData[]; changed: CaseData[] | undefined; dropped: boolean }> = [
    { reads: ['cases', 'assessments'], changed: ['timeline'], dropped: false },
    { reads: ['cases', 'assessments'], changed: ['assessments'], dropped: true },
    { reads: ['cases'], changed: ['assessments'], dropped: false },
    { reads: ['cases'], changed: ['timeline'], dropped: false },
    { reads: ['cases', 'assessments', 'timeline'], changed: ['timeline'], dropped: true },
    { reads: ['timeline'], changed: ['cases'], dropped: false },
    { reads: ['cases'], changed: undefined, dropped: true },
    { reads: ['timeline'], changed: undefined, dropped: true },
  ];
  for (const { reads, changed, dropped } of cases) {
    it(`a model reading ${reads.join('+')} is ${dropped ? 'dropped' : 'kept'} when ${changed?.join('+') ?? 'everything'} changes`, async () => {
      const cache = new ReadModelCache();
      const model = counted();
      await cache.get('k', reads, model.compute);
      cache.invalidate(changed);
      await cache.get('k', reads, model.compute);
      assert.equal(model.computations, dropped ? 2 : 1);
    });
  }

  it('shares one computation between concurrent readers', async () => {
    const cache = new ReadModelCache();
    const model = counted();
    const [a, b] = await Promise.all([cache.get('k', ['cases'], model.compute), cache.get('k', ['cases'], model.compute)]);
    assert.deepEqual([a, b, model.computations], ['v1', 'v1', 1]);
  });

  it('does not keep a computation that a change overtook', async () => {
    const cache = new ReadModelCache();
    let release!: () => void;
    const slow = cache.get('k', ['cases'], () => new Promise<string>((resolve) => (release = () => resolve('before the change'))));
    cache.invalidate(['cases']);
    release();
    assert.equal(await slow, 'before the change');
    assert.equal(await cache.get('k', ['cases'], async () => 'after the change'), 'after the change');
  });

  it('does not remember a failure, and a failure does not drop what replaced it', async () => {
    const cache = new ReadModelCache();
    let fail!: (err: Error) => void;
    const failing = cache.get('k', ['cases'], () => new Promise<string>((_, reject) => (fail = reject)));
    cache.invalidate(['cases']);
    const replacement = cache.get('k', ['cases'], async () => 'replacement');
    fail(new Error('boom'));
    await assert.rejects(failing, /boom/);
    assert.equal(await replacement, 'replacement');
    assert.equal(await cache.get('k', ['cases'], async () => 'recomputed'), 'replacement');

    const again = cache.get('other', ['cases'], async () => {
      throw new Error('once');
    });
    await assert.rejects(again, /once/);
    assert.equal(await cache.get('other', ['cases'], async () => 'second try'), 'second try');
  });

  it('keeps at most its bound of entries', async () => {
    const cache = new ReadModelCache(3);
    const model = counted();
    for (const key of ['a', 'b', 'c', 'd']) await cache.get(key, ['cases'], model.compute);
    await cache.get('a', ['cases'], model.compute);
    assert.equal(model.computations, 5, 'the fourth entry made room by forgetting the others');
  });
});
