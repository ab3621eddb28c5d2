/**
 * `browser-tracker`: Snowplow's `@snowplow/browser-tracker` (4.x), whose API
 * is functions, not a tracker object. `trackX(data, { context, timestamp,
 * trackers })` calls `trackSelfDescribingEvent({ event, context, timestamp },
 * trackers)`, sending to every tracker made with `newTracker`, or to those
 * `trackers` names.
 */
import { declaredSelfDescribingJson, entities, optionsInterface, trackerEntities, trackerEvent } from "./common.js";
import type { Target } from "./target.js";

const PACKAGE = "@snowplow/browser-tracker";

export const browserTracker: Target<"browser-tracker"> = {
  name: "browser-tracker",
  describe: "browser-tracker: @snowplow/browser-tracker 4's trackSelfDescribingEvent; trackX(data, { context, timestamp, trackers })",
  packageName: () => PACKAGE,
  indexImports: (b) => [b.typeImport(["Timestamp"], PACKAGE)],
  selfDescribingJson: declaredSelfDescribingJson,
  indexDeclarations: (b) => [optionsInterface(b, [
    b.property("context", entities(b, true), "Entities attached to the event (generated ones, or {@link uncheckedEntity})."),
    b.property("timestamp", b.union([b.ref("Timestamp"), b.keyword("null"), b.keyword("undefined")]),
      "When the event happened: the browser tracker's `Timestamp`, a number (ms, the device timestamp) or `{ type: \"ttm\" | \"dtm\", value }`."),
    b.property("trackers", b.union([b.f.createTypeOperatorNode(b.ts.SyntaxKind.ReadonlyKeyword, b.f.createArrayTypeNode(b.keyword("string"))), b.keyword("undefined")]),
      "The namespaces of the trackers to send to (as made by `newTracker`); all of them when left out."),
  ], "Options of the generated track functions: the browser tracker's `CommonEventProperties`, with `context` limited to {@link Entity}, and the trackers to send to.")],
  moduleTypes: ["SelfDescribingJson", "TrackEventOptions"],
  moduleImports: (b) => [b.valueImport(["trackSelfDescribingEvent"], PACKAGE)],
  optionNames: "context, timestamp, trackers",
  track(b, { dataType, schema, data }) {
    const { f } = b;
    const event = f.createObjectLiteralExpression([
      f.createPropertyAssignment("event", trackerEvent(b, schema, data)),
      // null, not undefined, for what was not given: the user's code may be compiled with exactOptionalPropertyTypes.
      f.createPropertyAssignment("context", trackerEntities(b, b.orElse(b.option("context"), f.createNull()), "null")),
      f.createPropertyAssignment("timestamp", b.orElse(b.option("timestamp"), f.createNull())),
    ], false);
    const trackers = b.cast(b.option("trackers"), b.union([f.createArrayTypeNode(b.keyword("string")), b.keyword("undefined")]));
    return {
      parameters: [{ name: "data", type: dataType }, { name: "options", type: b.ref("TrackEventOptions"), optional: true }],
      body: [f.createExpressionStatement(f.createCallExpression(f.createIdentifier("trackSelfDescribingEvent"), undefined, [event, trackers]))],
    };
  },
};
