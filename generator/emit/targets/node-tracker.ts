/**
 * `node-tracker`: Snowplow's `@snowplow/node-tracker` (4.x). `trackX(tracker,
 * data, { context, timestamp })` calls `tracker.track(buildSelfDescribingEvent({
 * event }), context, timestamp)`; the tracker is anything with the node
 * tracker's `track` (its `Tracker`, from `newTracker`).
 */
import { declaredSelfDescribingJson, entities, optionsInterface, pickedTracker, trackerEntities, trackerEvent } from "./common.js";
import type { Target } from "./target.js";

const PACKAGE = "@snowplow/node-tracker";

export const nodeTracker: Target<"node-tracker"> = {
  name: "node-tracker",
  describe: "node-tracker: @snowplow/node-tracker 4's tracker.track(buildSelfDescribingEvent(…)); trackX(tracker, data, { context, timestamp })",
  packageName: () => PACKAGE,
  indexImports: (b) => [b.typeImport(["Timestamp", "Tracker"], PACKAGE)],
  selfDescribingJson: declaredSelfDescribingJson,
  indexDeclarations: (b) => [
    optionsInterface(b, [
      b.property("context", entities(b, true), "Entities attached to the event (generated ones, or {@link uncheckedEntity})."),
      b.property("timestamp", b.union([b.ref("Timestamp"), b.keyword("null"), b.keyword("undefined")]),
        "When the event happened: the node tracker's `Timestamp`, a number (ms, the device timestamp) or `{ type: \"ttm\" | \"dtm\", value }`."),
    ], "Options of the generated track functions: what the node tracker's `track` takes besides the event, with `context` limited to {@link Entity}."),
    pickedTracker(b, "Tracker", "track", "What the track functions need of a tracker: the node tracker's `Tracker` (from `newTracker`), or anything with its `track`."),
  ],
  moduleTypes: ["EventTracker", "SelfDescribingJson", "TrackEventOptions"],
  moduleImports: (b) => [b.valueImport(["buildSelfDescribingEvent"], PACKAGE)],
  optionNames: "context, timestamp",
  track(b, { dataType, schema, data }) {
    const { f } = b;
    const payload = f.createCallExpression(f.createIdentifier("buildSelfDescribingEvent"), undefined, [
      f.createObjectLiteralExpression([f.createPropertyAssignment("event", trackerEvent(b, schema, data))], false),
    ]);
    return {
      parameters: [
        { name: "tracker", type: b.ref("EventTracker") },
        { name: "data", type: dataType },
        { name: "options", type: b.ref("TrackEventOptions"), optional: true },
      ],
      body: [f.createExpressionStatement(f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier("tracker"), "track"), undefined, [
        payload,
        trackerEntities(b, b.orElse(b.option("context"), f.createNull()), "null"),
        b.orElse(b.option("timestamp"), f.createNull()),
      ]))],
    };
  },
};
