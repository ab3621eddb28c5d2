import type { Subject } from "../subject.js";

/**
 * A self-describing JSON: data together with the Iglu URI of the schema it
 * conforms to. Used for self-describing events and for entities (contexts).
 */
export interface SelfDescribingJson<S extends string = string, D = unknown> {
  readonly schema: S;
  readonly data: D;
}

/**
 * When an event happened. A bare number is the device timestamp (`dtm`) in
 * milliseconds since the epoch; `{ type: "true", value }` is a true timestamp
 * (`ttm`), sent alongside the device's own `dtm`.
 */
export type Timestamp = number | { readonly type: "true" | "device"; readonly value: number };

/** Options every track method accepts, kept apart from the event's data. */
export interface TrackOptions {
  /** Entities attached to the event (sent in `cx`/`co`). */
  readonly context?: readonly SelfDescribingJson[] | undefined;
  /** When the event happened; defaults to now, as a device timestamp. */
  readonly timestamp?: Timestamp | undefined;
  /** Overrides the tracker's subject, key by key, for this event only. */
  readonly subject?: Subject | undefined;
}

export interface PageView {
  readonly pageUrl: string;
  readonly pageTitle?: string | undefined;
  readonly referrer?: string | undefined;
}

export interface PagePing extends PageView {
  readonly minX?: number | undefined;
  readonly maxX?: number | undefined;
  readonly minY?: number | undefined;
  readonly maxY?: number | undefined;
}

export interface StructEvent {
  readonly category: string;
  readonly action: string;
  readonly label?: string | undefined;
  readonly property?: string | undefined;
  readonly value?: number | undefined;
}

export interface TransactionItem {
  readonly sku: string;
  readonly price: number;
  readonly quantity: number;
  readonly name?: string | undefined;
  readonly category?: string | undefined;
  /** Entities for this item's event, sent after the transaction's own. */
  readonly context?: readonly SelfDescribingJson[] | undefined;
}

export interface EcommerceTransaction {
  readonly orderId: string;
  readonly totalValue: number;
  readonly affiliation?: string | undefined;
  readonly taxValue?: number | undefined;
  readonly shipping?: number | undefined;
  readonly city?: string | undefined;
  readonly state?: string | undefined;
  readonly country?: string | undefined;
  readonly currency?: string | undefined;
  /** Each item is sent as its own transaction-item event after the transaction. */
  readonly items: readonly TransactionItem[];
}

export interface EcommerceTransactionItem {
  readonly orderId: string;
  readonly sku: string;
  readonly price: number;
  readonly quantity: number;
  readonly name?: string | undefined;
  readonly category?: string | undefined;
  readonly currency?: string | undefined;
}
