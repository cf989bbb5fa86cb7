import { isDatabaseUnavailable } from '../common/database-errors';
import type { DatabaseHealth } from './database-health.service';

interface Slot<V> {
  value: V;
  /** Served without asking the database until then. */
  freshUntil: number;
  /** When the database last confirmed the value: bounds how long it may be served stale. */
  verifiedAt: number;
}

export interface VerifiedCacheOptions<V> {
  /** How long a value loaded now may be served without asking again (the caller knows when it can trust notices). */
  freshMs: (value: V) => number;
  /** How long after its last verification a value may still be served while the database is unreachable (0: never). */
  staleMs: number;
  /** Most entries kept; the oldest goes first. */
  max: number;
}

/**
 * Serve from what was verified: a value is served from memory while fresh; once stale (its TTL
 * ran out, or `markAllStale` after missed change notices) it is loaded again — but when the
 * database is unreachable, a value the database confirmed within `staleMs` is served instead.
 * A change notice for one key drops it outright (`delete`): a revoked key is never served stale
 * by a replica that heard of the revocation. Loads of one key share one query.
 */
export class VerifiedCache<K, V> {
  private readonly slots = new Map<K, Slot<V>>();
  private readonly loading = new Map<K, Promise<V>>();

  constructor(
    private readonly health: DatabaseHealth,
    private readonly options: VerifiedCacheOptions<V>,
  ) {}

  get size(): number {
    return this.slots.size;
  }

  async get(key: K, load: () => Promise<V>): Promise<V> {
    const now = Date.now();
    const slot = this.slots.get(key);
    if (slot && slot.freshUntil > now) return slot.value;
    const servable = slot && now - slot.verifiedAt <= this.options.staleMs ? slot : undefined;
    if (servable && !this.health.up) return servable.value;
    try {
      return await this.load(key, load);
    } catch (err) {
      if (servable && isDatabaseUnavailable(err)) return servable.value;
      throw err;
    }
  }

  /** A change to this key: forget it, and let a load in flight return without being remembered. */
  delete(key: K): void {
    this.slots.delete(key);
    this.loading.delete(key);
  }

  /** Changes may have been missed: ask the database again before trusting anything, but keep it for outages. */
  markAllStale(): void {
    for (const slot of this.slots.values()) slot.freshUntil = 0;
    this.loading.clear();
  }

  clear(): void {
    this.slots.clear();
    this.loading.clear();
  }

  private load(key: K, load: () => Promise<V>): Promise<V> {
    const inFlight = this.loading.get(key);
    if (inFlight) return inFlight;
    const started = Date.now();
    const loaded: Promise<V> = load().then(
      (value) => {
        // delete() or markAllStale() meanwhile: the rows read may predate the change.
        if (this.loading.get(key) === loaded) {
          this.loading.delete(key);
          this.remember(key, { value, freshUntil: started + this.options.freshMs(value), verifiedAt: started });
        }
        return value;
      },
      (err: unknown) => {
        if (this.loading.get(key) === loaded) this.loading.delete(key);
        throw err;
      },
    );
    this.loading.set(key, loaded);
    return loaded;
  }

  private remember(key: K, slot: Slot<V>): void {
    this.slots.delete(key);
    if (this.slots.size >= this.options.max) this.slots.delete(this.slots.keys().next().value as K);
    this.slots.set(key, slot);
  }
}
