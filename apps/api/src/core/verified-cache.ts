import { isDatabaseUnavailable } from '../common/database-errors';
import type { DatabaseHealth } from './database-health.service';

interface Slot<V> {
  value: V;
  /** Served without asking the database until then. */
  freshUntil: number;
  /** When the database last confirmed the value: bounds how long it may be served stale. */
  verifiedAt: number;
  /** Loaded while change notices were not heard, or notices were missed since: check before use. */
  suspect: boolean;
}

export interface VerifiedCacheOptions<V> {
  /** How long a value loaded now may be served without asking again (the caller knows when it can trust notices). */
  freshMs: (value: V) => number;
  /** How long after its last verification a value may still be served while the database is unreachable (0: never). */
  staleMs: number;
  /** Most entries kept; the oldest goes first. */
  max: number;
  /**
   * Values that say "nothing here" (an unknown key prefix, a tenant id naming no live tenant) are
   * kept apart, in a smaller space of their own: any anonymous caller can make them up, and they
   * must never push verified values out (those are what an outage is served from).
   */
  isMiss?: (value: V) => boolean;
  maxMisses?: number;
  /** Whether change notices are being heard now (the change bus is connected). */
  listening: () => boolean;
  /** Other failures of a load that mean "ask again later", not "the value is gone" (an HSM or KMS down). */
  isOutage?: (err: unknown) => boolean;
}

/**
 * Serve from what was verified. A value is served from memory while fresh. Once its TTL ran out
 * it is still served while one background load refreshes it: no notice was missed, so it is
 * still right, and a hung database never holds the request. A value that may have missed a
 * change (`markAllStale` after the change bus lost its connection, or loaded while it was
 * deaf) is loaded again before it is used — unless the database is unreachable: then any value
 * the database confirmed within `staleMs` is served. A change notice for one key drops it
 * outright (`delete`): a revoked key is never served by a replica that heard of the
 * revocation. Loads of one key share one query.
 */
export class VerifiedCache<K, V> {
  private readonly slots = new Map<K, Slot<V>>();
  private readonly missSlots = new Map<K, Slot<V>>();
  private readonly loading = new Map<K, Promise<V>>();
  /**
   * How lookups were answered, for /metrics: `fresh` from memory, `stale` from memory while a
   * refresh runs or the database is away, `loaded` after waiting for the database. Plain numbers:
   * the hot path pays an increment, the scrape reads them.
   */
  readonly stats = { fresh: 0, stale: 0, loaded: 0 };

  constructor(
    private readonly health: DatabaseHealth,
    private readonly options: VerifiedCacheOptions<V>,
  ) {}

  get size(): number {
    return this.slots.size + this.missSlots.size;
  }

  /**
   * What `get` answers at once, without a promise: the value while it is fresh in memory, else
   * undefined (then call `get`, which decides between stale, refresh and load). The token route
   * answers from here in the steady state (docs/decisions/0058).
   */
  peek(key: K): V | undefined {
    const slot = this.slots.get(key) ?? this.missSlots.get(key);
    if (slot === undefined || slot.freshUntil <= Date.now()) return undefined;
    this.stats.fresh++;
    return slot.value;
  }

  async get(key: K, load: () => Promise<V>): Promise<V> {
    const now = Date.now();
    const slot = this.slots.get(key) ?? this.missSlots.get(key);
    if (slot && slot.freshUntil > now) {
      this.stats.fresh++;
      return slot.value;
    }
    const servable = slot && now - slot.verifiedAt <= this.options.staleMs ? slot : undefined;
    if (servable && !this.health.up) {
      this.stats.stale++;
      return servable.value;
    }
    if (servable && !servable.suspect) {
      // Errors are the database's (DatabaseHealth has seen them) or the next caller's to meet.
      this.load(key, load).catch(() => undefined);
      this.stats.stale++;
      return servable.value;
    }
    try {
      const value = await this.load(key, load);
      this.stats.loaded++;
      return value;
    } catch (err) {
      if (servable && (isDatabaseUnavailable(err) || this.options.isOutage?.(err))) {
        this.stats.stale++;
        return servable.value;
      }
      throw err;
    }
  }

  /** A change to this key: forget it, and let a load in flight return without being remembered. */
  delete(key: K): void {
    this.slots.delete(key);
    this.missSlots.delete(key);
    this.loading.delete(key);
  }

  /** Changes may have been missed: ask the database again before trusting anything, but keep it for outages. */
  markAllStale(): void {
    for (const slot of this.slots.values()) {
      slot.freshUntil = 0;
      slot.suspect = true;
    }
    this.missSlots.clear();
    this.loading.clear();
  }

  clear(): void {
    this.slots.clear();
    this.missSlots.clear();
    this.loading.clear();
  }

  private load(key: K, load: () => Promise<V>): Promise<V> {
    const inFlight = this.loading.get(key);
    if (inFlight) return inFlight;
    const started = Date.now();
    const suspect = !this.options.listening();
    const loaded: Promise<V> = load().then(
      (value) => {
        // delete() or markAllStale() meanwhile: the rows read may predate the change.
        if (this.loading.get(key) === loaded) {
          this.loading.delete(key);
          this.remember(key, {
            value,
            freshUntil: started + this.options.freshMs(value),
            verifiedAt: started,
            suspect,
          });
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
    this.missSlots.delete(key);
    const miss = this.options.isMiss?.(slot.value) ?? false;
    const slots = miss ? this.missSlots : this.slots;
    const max = miss ? (this.options.maxMisses ?? this.options.max) : this.options.max;
    if (slots.size >= max) slots.delete(slots.keys().next().value as K);
    slots.set(key, slot);
  }
}
