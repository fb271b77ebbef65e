/**
 * Runs the tasks given the same key one after another, in the order they came; tasks of other keys
 * run alongside. Vigie is one process over one database, so this is enough to make a check-then-count
 * (is this address locked? then, after the password hash, count the failure) hold for a burst of
 * requests sent at once: each sees the failures counted before it.
 */
export function oneAtATime() {
  const tails = new Map<string, Promise<void>>();
  return function run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const result = (tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    // Nothing waits behind it: the key is forgotten, so the map holds only keys in use.
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
}
