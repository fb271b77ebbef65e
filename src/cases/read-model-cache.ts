/**
 * Remembers computed read models (dashboard figures) until anything about cases changes.
 * Vigie runs as one process over its embedded database, and every case write goes through the
 * cases service, which bumps the version: a stale entry can never be served.
 */
export class VersionedCache {
  private version = 0;
  private readonly entries = new Map<string, { version: number; value: Promise<unknown> }>();

  constructor(private readonly maxEntries = 500) {}

  invalidate(): void {
    this.version += 1;
    this.entries.clear();
  }

  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.version === this.version) return hit.value as Promise<T>;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const value = compute();
    this.entries.set(key, { version: this.version, value });
    // A failed computation is not remembered.
    value.catch(() => this.entries.delete(key));
    return value;
  }
}
