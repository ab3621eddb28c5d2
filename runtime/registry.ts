/**
 * The process-wide table of trackers by namespace behind `Snowplow`, in a
 * module of its own so a tracker can leave it when it closes without the
 * tracker depending on `Snowplow`.
 */

export interface Registered {
  readonly namespace: string;
}

const byNamespace = new Map<string, Registered>();

export const registry = {
  get(namespace: string): Registered | undefined {
    return byNamespace.get(namespace);
  },
  has(namespace: string): boolean {
    return byNamespace.has(namespace);
  },
  add(entry: Registered): void {
    byNamespace.set(entry.namespace, entry);
  },
  /** Removes `entry` if it is the one registered under its namespace; answers whether it was. */
  remove(entry: Registered): boolean {
    if (byNamespace.get(entry.namespace) !== entry) return false;
    return byNamespace.delete(entry.namespace);
  },
  /** Empties the table and answers what it held. */
  clear(): Registered[] {
    const all = [...byNamespace.values()];
    byNamespace.clear();
    return all;
  },
};
