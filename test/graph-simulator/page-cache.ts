/**
 * A bounded LRU of serialised page items. The tenant generator builds objects
 * on demand (cheap memory, costly CPU: ~0.1-0.6 ms per user), and clients
 * walk the same pages run after run, so the simulator keeps the JSON of
 * recently served pages. Tenant data never changes, so entries never go stale.
 */
export interface CachedItems {
  /** The page's items, serialised and comma-joined (the inside of `value`). */
  json: string;
  count: number;
}

/** Default budget; the L profile's users and devices fit in about half of it. */
const DEFAULT_BUDGET_BYTES = 256 * 1024 * 1024;

export class PageCache {
  private readonly entries = new Map<string, CachedItems>();
  private bytes = 0;

  constructor(private readonly budgetBytes = DEFAULT_BUDGET_BYTES) {}

  get(key: string): CachedItems | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      // Refresh its position: Map iteration order is the eviction order.
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: CachedItems): void {
    const size = entry.json.length * 2;
    if (size > this.budgetBytes) return;
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.bytes -= previous.json.length * 2;
    }
    this.entries.set(key, entry);
    this.bytes += size;
    for (const [oldKey, oldEntry] of this.entries) {
      if (this.bytes <= this.budgetBytes) break;
      this.entries.delete(oldKey);
      this.bytes -= oldEntry.json.length * 2;
    }
  }
}
