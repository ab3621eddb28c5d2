/**
 * Event data → tracker-protocol parameters, with the checks the Python
 * tracker made with contracts: a plain JavaScript caller who passes the wrong
 * shape gets a TypeError naming the method, the field and what was expected,
 * never an event sent without its data or with a value the pipeline rejects.
 * Each builder returns the event-specific pairs (with `e` first); the tracker
 * adds the common ones. Empty values (undefined, null, "") are omitted; zero
 * values are kept.
 */
import { describeValue } from "../describe.js";
import type { EcommerceTransaction, EcommerceTransactionItem, PagePing, PageView, StructEvent } from "./types.js";

export type Pairs = Record<string, string>;

/** The event's data: a plain object, or a TypeError showing the expected shape. */
export function checkData(method: string, data: unknown, example: string): void {
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new TypeError(`${method}: expected the event's data as an object, e.g. ${example}, got ${describeValue(data)}`);
  }
}

/** A text parameter: a string, or nothing. */
export function text(method: string, field: string, value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value === undefined || value === null) return undefined;
  throw new TypeError(`${method}: ${field} must be a string, got ${describeValue(value)}`);
}

/** A finite decimal, as enrich parses `tr_tt`, `se_va` and the like. */
export function decimal(method: string, field: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw new TypeError(`${method}: ${field} must be a finite number, got ${describeValue(value)}`);
  return String(value);
}

/** A whole number, as enrich parses `ti_qu`, `pp_*` and the like; `round` rounds a fraction instead of refusing it. */
export function integer(method: string, field: string, value: unknown, round = false): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw new TypeError(`${method}: ${field} must be a whole number, got ${describeValue(value)}`);
  if (round) return String(Math.round(value));
  if (!Number.isInteger(value)) throw new TypeError(`${method}: ${field} must be a whole number, got ${describeValue(value)}`);
  return String(value);
}

export function required(method: string, field: string, value: unknown): void {
  if (value === undefined || value === null || value === "") {
    throw new TypeError(`${method}: "${field}" is required`);
  }
}

function put(pairs: Pairs, key: string, value: string | undefined): void {
  if (value !== undefined && value !== "") pairs[key] = value;
}

/** The page fields page views and page pings share. */
function pagePairs(event: "pv" | "pp", method: string, data: PageView): Pairs {
  checkData(method, data, "{ pageUrl: \"https://…\" }");
  required(method, "pageUrl", data.pageUrl);
  const pairs: Pairs = { e: event };
  put(pairs, "url", text(method, "pageUrl", data.pageUrl));
  put(pairs, "page", text(method, "pageTitle", data.pageTitle));
  put(pairs, "refr", text(method, "referrer", data.referrer));
  return pairs;
}

export function pageViewPairs(data: PageView): Pairs {
  return pagePairs("pv", "trackPageView", data);
}

export function pagePingPairs(data: PagePing): Pairs {
  const method = "trackPagePing";
  const pairs = pagePairs("pp", method, data);
  // Offsets are whole pixels on the wire; browsers report fractions, so round.
  put(pairs, "pp_mix", integer(method, "minX", data.minX, true));
  put(pairs, "pp_max", integer(method, "maxX", data.maxX, true));
  put(pairs, "pp_miy", integer(method, "minY", data.minY, true));
  put(pairs, "pp_may", integer(method, "maxY", data.maxY, true));
  return pairs;
}

export function structEventPairs(data: StructEvent): Pairs {
  const method = "trackStructEvent";
  checkData(method, data, "{ category: \"shop\", action: \"add\" }");
  required(method, "category", data.category);
  required(method, "action", data.action);
  const pairs: Pairs = { e: "se" };
  put(pairs, "se_ca", text(method, "category", data.category));
  put(pairs, "se_ac", text(method, "action", data.action));
  put(pairs, "se_la", text(method, "label", data.label));
  put(pairs, "se_pr", text(method, "property", data.property));
  put(pairs, "se_va", decimal(method, "value", data.value));
  return pairs;
}

export function transactionPairs(data: EcommerceTransaction): Pairs {
  const method = "trackEcommerceTransaction";
  checkData(method, data, "{ orderId: \"o1\", totalValue: 10, items: [] }");
  required(method, "orderId", data.orderId);
  required(method, "totalValue", data.totalValue);
  if (!Array.isArray(data.items)) {
    throw new TypeError(`${method}: items must be an array of { sku, price, quantity } (use [] for none), got ${describeValue(data.items)}`);
  }
  const pairs: Pairs = { e: "tr" };
  put(pairs, "tr_id", text(method, "orderId", data.orderId));
  put(pairs, "tr_af", text(method, "affiliation", data.affiliation));
  put(pairs, "tr_tt", decimal(method, "totalValue", data.totalValue));
  put(pairs, "tr_tx", decimal(method, "taxValue", data.taxValue));
  put(pairs, "tr_sh", decimal(method, "shipping", data.shipping));
  put(pairs, "tr_ci", text(method, "city", data.city));
  put(pairs, "tr_st", text(method, "state", data.state));
  put(pairs, "tr_co", text(method, "country", data.country));
  put(pairs, "tr_cu", text(method, "currency", data.currency));
  return pairs;
}

export function transactionItemPairs(data: EcommerceTransactionItem, method = "trackEcommerceTransactionItem"): Pairs {
  checkData(method, data, "{ orderId: \"o1\", sku: \"s1\", price: 5, quantity: 1 }");
  required(method, "orderId", data.orderId);
  required(method, "sku", data.sku);
  required(method, "price", data.price);
  const pairs: Pairs = { e: "ti" };
  put(pairs, "ti_id", text(method, "orderId", data.orderId));
  put(pairs, "ti_sk", text(method, "sku", data.sku));
  put(pairs, "ti_nm", text(method, "name", data.name));
  put(pairs, "ti_ca", text(method, "category", data.category));
  put(pairs, "ti_pr", decimal(method, "price", data.price));
  put(pairs, "ti_qu", integer(method, "quantity", data.quantity));
  put(pairs, "ti_cu", text(method, "currency", data.currency));
  return pairs;
}
