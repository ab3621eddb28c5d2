/**
 * Event data → tracker-protocol parameters. Each builder returns the
 * event-specific pairs (with `e` first); the tracker adds the common ones.
 * Empty values (undefined, null, "") are omitted; zero values are kept.
 */
import type { EcommerceTransaction, EcommerceTransactionItem, PagePing, PageView, StructEvent } from "./types.js";

export type Pairs = Record<string, string>;

export function add(pairs: Pairs, key: string, value: string | undefined | null): void {
  if (value !== undefined && value !== null && value !== "") pairs[key] = value;
}

/** A finite decimal, as enrich parses `tr_tt`, `se_va` and the like. */
export function decimal(field: string, value: number | undefined | null): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw new TypeError(`${field}: expected a finite number, got ${String(value)}`);
  return String(value);
}

/** A whole number, as enrich parses `ti_qu`, `pp_*` and the like. */
export function integer(field: string, value: number | undefined | null, round = false): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw new TypeError(`${field}: expected a whole number, got ${String(value)}`);
  if (round) return String(Math.round(value));
  if (!Number.isInteger(value)) throw new TypeError(`${field}: expected a whole number, got ${String(value)}`);
  return String(value);
}

export function required(event: string, field: string, value: unknown): void {
  if (value === undefined || value === null || value === "") {
    throw new TypeError(`${event}: "${field}" is required`);
  }
}

/** The page fields page views and page pings share. */
function pagePairs(event: "pv" | "pp", method: string, data: PageView): Pairs {
  required(method, "pageUrl", data.pageUrl);
  const pairs: Pairs = { e: event };
  add(pairs, "url", data.pageUrl);
  add(pairs, "page", data.pageTitle);
  add(pairs, "refr", data.referrer);
  return pairs;
}

export function pageViewPairs(data: PageView): Pairs {
  return pagePairs("pv", "trackPageView", data);
}

export function pagePingPairs(data: PagePing): Pairs {
  const pairs = pagePairs("pp", "trackPagePing", data);
  // Offsets are whole pixels on the wire; browsers report fractions, so round.
  add(pairs, "pp_mix", integer("trackPagePing minX", data.minX, true));
  add(pairs, "pp_max", integer("trackPagePing maxX", data.maxX, true));
  add(pairs, "pp_miy", integer("trackPagePing minY", data.minY, true));
  add(pairs, "pp_may", integer("trackPagePing maxY", data.maxY, true));
  return pairs;
}

export function structEventPairs(data: StructEvent): Pairs {
  required("trackStructEvent", "category", data.category);
  required("trackStructEvent", "action", data.action);
  const pairs: Pairs = { e: "se" };
  add(pairs, "se_ca", data.category);
  add(pairs, "se_ac", data.action);
  add(pairs, "se_la", data.label);
  add(pairs, "se_pr", data.property);
  add(pairs, "se_va", decimal("trackStructEvent value", data.value));
  return pairs;
}

export function transactionPairs(data: EcommerceTransaction): Pairs {
  required("trackEcommerceTransaction", "orderId", data.orderId);
  required("trackEcommerceTransaction", "totalValue", data.totalValue);
  const pairs: Pairs = { e: "tr" };
  add(pairs, "tr_id", data.orderId);
  add(pairs, "tr_af", data.affiliation);
  add(pairs, "tr_tt", decimal("trackEcommerceTransaction totalValue", data.totalValue));
  add(pairs, "tr_tx", decimal("trackEcommerceTransaction taxValue", data.taxValue));
  add(pairs, "tr_sh", decimal("trackEcommerceTransaction shipping", data.shipping));
  add(pairs, "tr_ci", data.city);
  add(pairs, "tr_st", data.state);
  add(pairs, "tr_co", data.country);
  add(pairs, "tr_cu", data.currency);
  return pairs;
}

export function transactionItemPairs(data: EcommerceTransactionItem): Pairs {
  required("trackEcommerceTransactionItem", "orderId", data.orderId);
  required("trackEcommerceTransactionItem", "sku", data.sku);
  required("trackEcommerceTransactionItem", "price", data.price);
  const pairs: Pairs = { e: "ti" };
  add(pairs, "ti_id", data.orderId);
  add(pairs, "ti_sk", data.sku);
  add(pairs, "ti_nm", data.name);
  add(pairs, "ti_ca", data.category);
  add(pairs, "ti_pr", decimal("trackEcommerceTransactionItem price", data.price));
  add(pairs, "ti_qu", integer("trackEcommerceTransactionItem quantity", data.quantity));
  add(pairs, "ti_cu", data.currency);
  return pairs;
}
