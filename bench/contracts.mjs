/**
 * What the argument checks cost per event: the checks a track call makes
 * (data shape, each field's type, the options object, each self-describing
 * JSON) run alone, for a structured event and for a self-describing event
 * with one entity, beside the whole track call (payload built and
 * serialised, handed to an emitter that keeps nothing). Bar: the checks
 * under 1 µs per event.
 *
 * Usage: npm run bench:contracts  (builds first). Medians of 7 rounds of
 * 200,000 calls each, after a warm-up round.
 */
import { checkData, decimal, required, text } from "../runtime/events/builders.ts";
import { checkOptions, checkSelfDescribing } from "../runtime/events/options.ts";
import { Tracker } from "@igluc/runtime";

const ROUNDS = 7;
const CALLS = 200_000;
const ENTITY = { schema: "iglu:com.acme/user/jsonschema/1-0-0", data: { id: "u1", plan: "pro" } };
const EVENT = { schema: "iglu:com.acme/checkout_started/jsonschema/1-0-0", data: { cartId: "c1", total: 12.5, currency: "EUR" } };
const STRUCT = { category: "shop", action: "add", label: "red", property: "jumper", value: 15 };
const OPTIONS = { context: [ENTITY] };

/** The checks trackStructEvent makes, in the same order, and nothing else. */
function structChecks(data, options, uris) {
  const method = "trackStructEvent";
  checkData(method, data, "{…}");
  required(method, "category", data.category);
  required(method, "action", data.action);
  text(method, "category", data.category);
  text(method, "action", data.action);
  text(method, "label", data.label);
  text(method, "property", data.property);
  decimal(method, "value", data.value);
  const checked = checkOptions(method, options);
  for (let i = 0; i < checked.context.length; i++) checkSelfDescribing(method, "options.context[i]", checked.context[i], uris);
}

/** The checks trackSelfDescribingEvent makes. */
function selfDescribingChecks(event, options, uris) {
  const method = "trackSelfDescribingEvent";
  checkSelfDescribing(method, "the event", event, uris);
  const checked = checkOptions(method, options);
  for (let i = 0; i < checked.context.length; i++) checkSelfDescribing(method, "options.context[i]", checked.context[i], uris);
}

function nsPerCall(run) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) run();
  return Number(process.hrtime.bigint() - start) / CALLS;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const uris = new Set();
const tracker = new Tracker({ namespace: "bench", emitters: { input() {}, flush() {} }, logger: "silent" });
const rows = [
  ["checks of trackStructEvent (one entity)", () => structChecks(STRUCT, OPTIONS, uris)],
  ["checks of trackSelfDescribingEvent (one entity)", () => selfDescribingChecks(EVENT, OPTIONS, uris)],
  ["whole trackStructEvent (one entity)", () => tracker.trackStructEvent(STRUCT, OPTIONS)],
  ["whole trackSelfDescribingEvent (one entity)", () => tracker.trackSelfDescribingEvent(EVENT, OPTIONS)],
];

for (const [, run] of rows) nsPerCall(run);
const results = rows.map(([name, run]) => {
  const samples = [];
  for (let r = 0; r < ROUNDS; r++) samples.push(nsPerCall(run));
  return { name, ns: median(samples), min: Math.min(...samples), max: Math.max(...samples) };
});

console.log(`argument checks, medians of ${ROUNDS} rounds of ${CALLS.toLocaleString("en")} calls (ns per event):`);
for (const { name, ns, min, max } of results) console.log(`  ${name.padEnd(50)} ${ns.toFixed(0).padStart(6)} ns   (min ${min.toFixed(0)}, max ${max.toFixed(0)})`);
const struct = results[0].ns / results[2].ns;
const sd = results[1].ns / results[3].ns;
console.log(`  share of the whole call: ${(100 * struct).toFixed(1)}% (structured), ${(100 * sd).toFixed(1)}% (self-describing)`);
const worst = Math.max(results[0].ns, results[1].ns);
console.log(`bar: checks < 1,000 ns per event: ${worst < 1000 ? "met" : "NOT met"} (${worst.toFixed(0)} ns)`);
