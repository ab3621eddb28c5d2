/**
 * Dev-time validation in the tracker: `validation: { mode, validators,
 * onError }` with real generated validators (the runtime's own built-in
 * ones, from `@igluc/runtime/validation/builtins`): "warn" logs each problem
 * and sends, "throw" throws and sends nothing, "off" and no option check
 * nothing; entities are checked; schemas without a validator are skipped.
 * And the run-time formats agree with ajv-formats on the cases below.
 */
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, test } from "node:test";
import { Snowplow, Tracker, ValidationError, type Logger, type ValidationIssue, type ValidationOptions } from "@igluc/runtime";
import { formats, FORMAT_NAMES, equal, ucs2length, type Validators } from "@igluc/runtime/validation";
import { builtinValidators } from "@igluc/runtime/validation/builtins";

const require = createRequire(import.meta.url);
const LINK_CLICK = "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1";
const ADD_TO_CART = "iglu:com.snowplowanalytics.snowplow/add_to_cart/jsonschema/1-0-0";

function tracked(validation?: ValidationOptions): { tracker: Tracker; sent: string[]; warnings: string[] } {
  const sent: string[] = [];
  const warnings: string[] = [];
  const noop = (): void => undefined;
  const logger: Logger = { error: noop, info: noop, debug: noop, warn: (message) => { warnings.push(message); } };
  const tracker = new Tracker({
    namespace: "validation", logger, encodeBase64: false,
    emitters: [{ input: (_payload, json?: string) => { sent.push(json ?? ""); }, flush: noop }],
    ...(validation !== undefined ? { validation } : {}),
  });
  return { tracker, sent, warnings };
}

const EMPTY_URL = `${LINK_CLICK} /targetUrl: must NOT have fewer than 1 characters (got "")`;

describe("the tracker's validation option", () => {
  test("with validators and no mode it warns (each problem, in the one format) and still sends", () => {
    const { tracker, sent, warnings } = tracked({ validators: builtinValidators });
    tracker.trackLinkClick({ targetUrl: "" });
    assert.deepEqual(warnings, [`trackLinkClick: ${EMPTY_URL}`]);
    assert.equal(sent.length, 1);
  });

  test("throw: the event is not sent; the error and onError say what is wrong, with the URI, pointer and keyword", () => {
    const issues: ValidationIssue[] = [];
    const { tracker, sent, warnings } = tracked({ mode: "throw", validators: builtinValidators, onError: (issue) => issues.push(issue) });
    assert.throws(() => tracker.trackAddToCart({ sku: "s1", quantity: 1, unitPrice: "12" as unknown as number }), (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.match(error.message, /^trackAddToCart: the event does not match its schemas:\n {2}iglu:com\.snowplowanalytics\.snowplow\/add_to_cart\/jsonschema\/1-0-0 \/unitPrice: must be number \(got "12"\)$/);
      return true;
    });
    assert.deepEqual(issues, [{ uri: ADD_TO_CART, pointer: "/unitPrice", keyword: "type", message: `${ADD_TO_CART} /unitPrice: must be number (got "12")` }]);
    assert.deepEqual([sent, warnings], [[], []]);
    tracker.trackLinkClick({ targetUrl: "https://example.com" });
    assert.equal(sent.length, 1);
  });

  test("entities are checked too; a schema without a validator is skipped silently", () => {
    const { tracker, sent, warnings } = tracked({ mode: "warn", validators: builtinValidators });
    tracker.trackSelfDescribingEvent({ schema: "iglu:com.acme/unknown/jsonschema/1-0-0", data: { anything: true } }, {
      context: [{ schema: LINK_CLICK, data: { targetUrl: "" } }, { schema: "iglu:com.acme/other/jsonschema/1-0-0", data: 1 }],
    });
    assert.deepEqual(warnings, [`trackSelfDescribingEvent: ${EMPTY_URL}`]);
    assert.equal(sent.length, 1);
  });

  test("a validator igluc did not generate (no format) is reported in ajv's words", () => {
    const handWritten = Object.assign((data: unknown) => typeof data === "string", {
      errors: [{ instancePath: "", keyword: "type", message: "must be string" }],
    });
    const { tracker, warnings } = tracked({ validators: { "iglu:com.acme/x/jsonschema/1-0-0": handWritten } });
    tracker.trackSelfDescribingEvent({ schema: "iglu:com.acme/x/jsonschema/1-0-0", data: 1 });
    assert.deepEqual(warnings, ["trackSelfDescribingEvent: iglu:com.acme/x/jsonschema/1-0-0 /: must be string"]);
  });

  test("off, or no option: nothing is checked", () => {
    for (const validation of [{ mode: "off" as const, validators: builtinValidators }, undefined]) {
      const { tracker, sent, warnings } = tracked(validation);
      tracker.trackLinkClick({ targetUrl: "" });
      assert.deepEqual([sent.length, warnings], [1, []]);
    }
  });

  test("an onError that throws is logged, never thrown into the app in warn mode", () => {
    const { tracker, sent } = tracked({ validators: builtinValidators, onError: () => { throw new Error("callback bug"); } });
    tracker.trackLinkClick({ targetUrl: "" });
    assert.equal(sent.length, 1);
  });

  test("bad settings are refused when the tracker is made", () => {
    assert.throws(() => tracked({ mode: "throw" }), /validation\.mode "throw" needs validators/);
    assert.throws(() => tracked({ mode: "loud" as "warn", validators: builtinValidators }), /validation\.mode must be "off", "warn" or "throw"/);
    assert.throws(() => tracked({ validators: 1 as unknown as Validators }), /validation\.validators must be the map/);
  });

  test("Snowplow.createTracker takes the option", async () => {
    const tracker = Snowplow.createTracker({
      namespace: "validated", endpoint: "http://127.0.0.1:9", logger: "silent", validation: { mode: "throw", validators: builtinValidators },
    });
    try {
      assert.throws(() => tracker.trackLinkClick({ targetUrl: "" }), ValidationError);
    } finally {
      Snowplow.removeTracker(tracker);
      await tracker.close({ timeoutMs: 100 });
    }
  });
});

describe("the validators' run-time helpers", () => {
  const Ajv = require("ajv") as typeof import("ajv").default;
  const addFormats = require("ajv-formats") as typeof import("ajv-formats").default;
  const ajv = new Ajv({ strict: false });
  addFormats(ajv);
  const CASES: Record<string, readonly string[]> = {
    "date-time": ["2026-12-02T14:00:00Z", "2026-12-02t14:00:00.123+01:00", "2026-12-02 14:00:00Z", "2026-12-02T14:00:00", "2026-02-29T00:00:00Z", "2024-02-29T00:00:00Z", "2026-12-02T24:00:00Z", "yesterday", "2016-12-31T23:59:60Z"],
    date: ["2026-12-02", "2026-02-30", "2024-02-29", "1900-02-29", "2026-1-2", "2026-12-02T00:00:00Z", ""],
    time: ["14:00:00Z", "14:00:00.5+05:30", "14:00:00", "25:00:00Z", "14:60:00Z"],
    email: ["a@example.com", "first.last+tag@sub.example.co", "not-an-email", "a@b", "a@@b.com", ".a@b.com", "a@-b.com", "a b@c.com"],
    hostname: ["example.com", "a-b.c", "-a.com", "a..b", "x".repeat(64), "localhost", "exa_mple.com"],
    ipv4: ["127.0.0.1", "255.255.255.255", "256.0.0.1", "01.2.3.4", "1.2.3", "1.2.3.4.5"],
    ipv6: ["::1", "::", "2001:db8::8a2e:370:7334", "2001:db8:0:0:0:0:2:1", "1:2:3:4:5:6:7:8:9", "::ffff:192.0.2.1", "1::2::3", "g::1", "1:2:3:4:5:6:7::"],
    uri: ["https://example.com/a?b=c#d", "urn:isbn:123", "mailto:a@b.c", "//example.com", "not a uri", "https://exa mple.com", "relative/path"],
    "uri-reference": ["relative/path", "https://example.com", "#frag", "a b", ""],
    uuid: ["123e4567-e89b-12d3-a456-426614174000", "urn:uuid:123e4567-e89b-12d3-a456-426614174000", "123e4567e89b12d3a456426614174000", "not-a-uuid"],
    regex: ["^a+$", "[", "(?<n>x)", "a{2,1}"],
  };

  test("every format igluc checks has cases, and agrees with ajv-formats on each", () => {
    assert.deepEqual(Object.keys(CASES).sort(), [...FORMAT_NAMES].sort());
    for (const [name, values] of Object.entries(CASES)) {
      const theirs = ajv.compile({ type: "string", format: name });
      for (const value of values) assert.equal(formats[name]!.validate(value), theirs(value), `${name}: ${JSON.stringify(value)}`);
    }
  });

  test("ucs2length counts code points, equal compares JSON values", () => {
    assert.deepEqual(["", "abc", "😀", "a😀b", "\ud800"].map(ucs2length), [0, 3, 1, 3, 1]);
    assert.equal(equal({ a: [1, { b: null }] }, { a: [1, { b: null }] }), true);
    assert.equal(equal({ a: 1, b: 2 }, { b: 2, a: 1 }), true);
    assert.equal(equal([1], { 0: 1 }), false);
    assert.equal(equal({ a: undefined }, { b: undefined }), false);
    assert.equal(equal(NaN, NaN), true);
    assert.equal(equal(1, "1"), false);
  });
});
