/**
 * The lockfile's content hash and the URL it records: exact values worked
 * out here by hand, never by the code under test.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, test } from "node:test";
import { showUrl } from "../../generator/remote/http.js";
import { contentHash, legacyContentHash } from "../../generator/remote/lockfile.js";

const META = "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#";

/** The schema below as canonical JSON, written by hand: keys sorted at every level, no spaces, the 64-bit bound exact. */
const CANONICAL = `{"$schema":"${META}","properties":{"total":{"maximum":9223372036854775807e0,"type":"number"}},` +
  `"self":{"format":"jsonschema","name":"cart","vendor":"com.acme","version":"1-0-0"},"type":"object"}`;
/** sha256 of CANONICAL (the hex digest, as `printf '%s' … | sha256sum` prints it). */
const HASH = "8ad3b635496fa8f4b114f472df6f6de79f20f18352d0c2fb6e8f1736ccdcb77f";

/** The same schema, written in ways that differ only in formatting: key order, whitespace, number spelling. */
const FORMS: readonly [string, string][] = [
  ["keys in reverse order, compact", `{"type":"object","self":{"version":"1-0-0","vendor":"com.acme","name":"cart","format":"jsonschema"},"properties":{"total":{"type":"number","maximum":9223372036854775807}},"$schema":"${META}"}`],
  ["indented, keys as a person writes them", JSON.stringify({ $schema: META, self: { vendor: "com.acme", name: "cart", format: "jsonschema", version: "1-0-0" }, type: "object", properties: { total: { type: "number", maximum: 0 } } }, null, 2).replace('"maximum": 0', '"maximum": 9223372036854775807')],
  ["CRLF, tabs and a trailing newline", `{\r\n\t"self": {"name": "cart", "vendor": "com.acme", "version": "1-0-0", "format": "jsonschema"},\r\n\t"$schema": "${META}",\r\n\t"properties": {"total": {"maximum": 9223372036854775807, "type": "number"}},\r\n\t"type": "object"\r\n}\r\n`],
  ["the bound in exponent form", `{"$schema":"${META}","properties":{"total":{"maximum":9.223372036854775807e18,"type":"number"}},"self":{"format":"jsonschema","name":"cart","vendor":"com.acme","version":"1-0-0"},"type":"object"}`],
];

describe("contentHash: SHA-256 of the canonical JSON", () => {
  test("the expected hash is the SHA-256 of the hand-written canonical text", () => {
    assert.equal(createHash("sha256").update(CANONICAL).digest("hex"), HASH);
  });

  test("of the canonical text itself", () => assert.equal(contentHash(CANONICAL), HASH));

  for (const [what, text] of FORMS) {
    test(`reformatting does not change it: ${what}`, () => assert.equal(contentHash(text), HASH));
  }

  test("a change of one digit beyond a double's precision does", () => {
    assert.notEqual(contentHash(CANONICAL.replace("9223372036854775807e0", "9223372036854775808e0")), HASH);
  });

  test("version-1 lockfiles hashed parsed values, so keys sorted but numbers rounded to doubles", () => {
    const rounded = CANONICAL.replace("9223372036854775807e0", "9223372036854776000");
    assert.equal(legacyContentHash(FORMS[0]![1]), createHash("sha256").update(rounded).digest("hex"));
  });
});

describe("showUrl: a URL as it may be printed or recorded", () => {
  const cases: readonly [string, string][] = [
    ["https://reader:s3cret@iglu.acme.com/api/schemas/com.acme/x/jsonschema/1-0-0", "https://iglu.acme.com/api/schemas/com.acme/x/jsonschema/1-0-0"],
    ["https://reader@iglu.acme.com/api", "https://iglu.acme.com/api"],
    ["https://:s3cret@iglu.acme.com/api", "https://iglu.acme.com/api"],
    ["http://127.0.0.1:8080/schemas?repr=canonical", "http://127.0.0.1:8080/schemas?repr=canonical"],
  ];
  for (const [url, shown] of cases) {
    test(url, () => assert.equal(showUrl(new URL(url)), shown));
  }
});
