/**
 * What a broken or hostile client can send igluc micro: oversized bodies,
 * bodies that are not JSON or not the envelope, too many events, malformed
 * base64url, base64 of something that is not JSON, 10,000 entities,
 * non-string values, bad percent-encoding, a client that never finishes its
 * request. Each gives a bad event with a clear message (or an error answer),
 * and micro goes on serving.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { after, before, beforeEach, describe, test } from "node:test";
import { startMicro, type Micro } from "../../generator/micro/micro.js";
import { CONTEXTS, FIXTURES, SIGNUP, UNSTRUCT, USER, body, post, uePr } from "./support.js";

/** The pattern the envelopes' schemas give an Iglu URI. */
const IGLU_PATTERN = "^iglu:[a-zA-Z0-9-_.]+/[a-zA-Z0-9-_]+/[a-zA-Z0-9-_]+/[0-9]+-[0-9]+-[0-9]+$";

const base = { e: "pv", p: "web", tv: "test-1" };
const b64 = (text: string): string => Buffer.from(text).toString("base64url");

describe("igluc micro under hostile input", () => {
  let micro: Micro;
  before(async () => { micro = await startMicro({ schemas: [FIXTURES], requestTimeoutMs: 500 }); });
  after(async () => { await micro.close(); });
  beforeEach(() => { micro.reset(); });

  /** Sends, then expects exactly one bad event with these messages, and micro still validating a good event. */
  async function expectBad(send: () => Promise<Response>, messages: readonly (string | RegExp)[], status = 200): Promise<void> {
    const res = await send();
    assert.equal(res.status, status);
    await res.arrayBuffer();
    const bad = micro.bad();
    assert.equal(bad.length, 1, JSON.stringify(bad.map((e) => e.messages)));
    assert.equal(bad[0]!.messages.length, messages.length, bad[0]!.messages.join("\n"));
    bad[0]!.messages.forEach((m, i) => (typeof messages[i] === "string" ? assert.equal(m, messages[i]) : assert.match(m, messages[i] as RegExp)));
    assert.equal((await post(micro.url, body([{ ...base, eid: "after" }]))).status, 200);
    assert.equal(micro.event("after")?.valid, true, "micro still up and validating");
  }

  test("a body over the limit (1 MB by default): 413, and a bad event saying so", async () => {
    const big = await startMicro({ schemas: [FIXTURES] });
    try {
      const text = body([{ ...base, url: "x".repeat(1024 * 1024) }]);
      const res = await post(big.url, text);
      assert.equal(res.status, 413);
      assert.deepEqual(big.bad().map((e) => e.messages), [[`request body is ${Buffer.byteLength(text)} bytes, more than the 1048576 accepted (--max-body-bytes)`]]);
      assert.equal((await post(big.url, body([base]))).status, 200);
      assert.equal(big.all().good, 1);
    } finally {
      await big.close();
    }
  });

  test("a body that is not JSON", () => expectBad(() => post(micro.url, '{"schema": "iglu:x", "data": [{'), [/^request body is not JSON: .+/]));
  test("a body that is JSON but not the envelope", () => expectBad(() => post(micro.url, "[1,2]"), ['request body must be a self-describing JSON object {"schema": "iglu:…/payload_data/…", "data": […]} (got an array of 2)']));
  test("an envelope whose data is not an array", () => expectBad(() => post(micro.url, JSON.stringify({ schema: "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4", data: "x" })), ['request body: "data" must be an array of events (got "x")']));
  test("an envelope of another schema", () => expectBad(() => post(micro.url, body([base], "iglu:com.acme/signup/jsonschema/1-0-0")), ['request body: "schema" must be iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-x (got "iglu:com.acme/signup/jsonschema/1-0-0")']));
  test("more events than one request may carry", () => expectBad(() => post(micro.url, body(Array.from({ length: 1001 }, () => base))), ["request body holds 1001 events, more than the 1000 accepted in one request"]));
  test("an event that is not an object", () => expectBad(() => post(micro.url, body(["pv"])), ['event must be an object of string parameters (got "pv")']));

  test("non-string values", () => expectBad(() => post(micro.url, body([{ ...base, tv: 5, aid: { a: 1 } }])), [
    'parameter "tv" must be a string, as every tracker protocol value is (got 5)',
    'parameter "aid" must be a string, as every tracker protocol value is (got an object)',
  ]));

  test("ue_px that is not base64url", () => expectBad(() => post(micro.url, body([{ ...base, e: "ue", ue_px: "eyJzY2hlbWEi!!" }])), ['ue_px is not base64url: "!" at offset 12']));
  test("ue_px that is base64url of something not JSON", () => expectBad(() => post(micro.url, body([{ ...base, e: "ue", ue_px: b64("{not json") }])), [/^ue_px is not JSON once decoded: .+/]));
  test("ue_px that decodes to bytes that are not UTF-8", () => expectBad(() => post(micro.url, body([{ ...base, e: "ue", ue_px: Buffer.from([0xff, 0xfe, 0x7b]).toString("base64url") }])), ["ue_px is base64url, but what it encodes is not UTF-8 text"]));
  test("cx of an impossible length", () => expectBad(() => post(micro.url, body([{ ...base, cx: "abcde" }])), ["cx is not base64url: its length cannot be that of encoded bytes"]));
  test("an unstructured event without its data", () => expectBad(() => post(micro.url, body([{ ...base, e: "ue" }])), ["unstructured event (e=ue) without ue_pr or ue_px"]));
  test("an unstruct_event envelope of another schema", () => expectBad(() => post(micro.url, body([{ ...base, e: "ue", ue_pr: JSON.stringify({ schema: SIGNUP, data: {} }) }])), [`ue_pr: the envelope's schema must be iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-x (got "${SIGNUP}")`]));
  test("an entity without an Iglu URI", () => expectBad(() => post(micro.url, body([{ ...base, co: JSON.stringify({ schema: CONTEXTS, data: [{ schema: "http://x", data: {} }] }) }])), [`${CONTEXTS} /0/schema: must match pattern "${IGLU_PATTERN}" (got "http://x")`]));

  test("10,000 entities in one event", async () => {
    const entities = Array.from({ length: 10_000 }, (_, i) => ({ schema: USER, data: { id: `u${i}` } }));
    await expectBad(() => post(micro.url, body([{ ...base, cx: b64(JSON.stringify({ schema: CONTEXTS, data: entities })) }])), ["cx holds 10000 entities, more than the 1000 accepted in one event; they were not checked"]);
  });

  test("many failing entities: the messages are capped, the rest counted", async () => {
    const entities = Array.from({ length: 200 }, () => ({ schema: USER, data: { id: 1 } }));
    const res = await post(micro.url, body([{ ...base, eid: "many", co: JSON.stringify({ schema: CONTEXTS, data: entities }) }]));
    assert.equal(res.status, 200);
    const messages = micro.event("many")!.messages;
    assert.equal(messages.length, 51);
    assert.equal(messages[0], `${USER} /id: must be string (got 1)`);
    assert.equal(messages[50], "… and 150 more problems");
  });

  test("GET with bad percent-encoding, and GET with no parameters", async () => {
    await expectBad(() => fetch(`${micro.url}/i?e=pv&p=web&tv=t&url=%E0%A4%A`), ['query parameter "url" is not valid percent-encoding']);
    micro.reset();
    await expectBad(() => fetch(`${micro.url}/i`), ["GET request without parameters: no event to read"]);
  });

  test("a schema name with terminal escapes in the data is shown escaped", async () => {
    await expectBad(() => post(micro.url, body([{ ...base, e: "ue", ue_pr: uePr("iglu:com.acme/x\u001b[31m/jsonschema/1-0-0", {}) }])),
      [`${UNSTRUCT} /schema: must match pattern "${IGLU_PATTERN}" (got "iglu:com.acme/x\\u001b[31m/jsonschema/1-0-0")`]);
  });

  test("a client that never finishes its request is cut off after the request timeout", async () => {
    const socket = net.connect(micro.port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    socket.write("POST /com.snowplowanalytics.snowplow/tp2 HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{");
    const started = Date.now();
    await new Promise<void>((resolve) => { socket.on("close", () => resolve()); socket.on("error", () => undefined); socket.resume(); });
    assert.ok(Date.now() - started < 3000, `closed after ${Date.now() - started} ms`);
    assert.equal((await fetch(`${micro.url}/micro/all`)).status, 200);
  });
});
