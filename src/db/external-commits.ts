import type SQLite from 'better-sqlite3';

/**
 * Notices commits made to the database by another connection: the CLI's purge, erasure or
 * import runs in its own process while the app serves, and the app's cached dashboards must not
 * go on showing what was purged. SQLite's data_version changes exactly then, and reading it costs
 * microseconds.
 */
export function externalCommitWatch(sqlite: SQLite.Database, onChange: () => void, onError: (err: unknown) => void = () => undefined) {
  const version = () => sqlite.pragma('data_version', { simple: true }) as number;
  let seen = version();
  const check = (): boolean => {
    let now: number;
    try {
      now = version();
    } catch (err) {
      // On a timer, a throw would take the whole app down: report it, and distrust the caches.
      onError(err);
      onChange();
      return true;
    }
    if (now === seen) return false;
    seen = now;
    onChange();
    return true;
  };
  return {
    check,
    /** Checks every `everyMs` until stopped; the timer never keeps the process alive. */
    every(everyMs: number): () => void {
      const timer = setInterval(check, everyMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
