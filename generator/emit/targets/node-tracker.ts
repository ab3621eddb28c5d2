/**
 * `node-tracker`: Snowplow's `@snowplow/node-tracker` (4.x). `trackX(tracker,
 * data, { context, timestamp })` calls `tracker.track(buildSelfDescribingEvent({
 * event }), context, timestamp)`; the tracker is anything with the node
 * tracker's `track` (its `Tracker`, from `newTracker`).
 */
import { declaredSelfDescribingJson, entities, optionsInterface, pickedTracker, trackerEntities, trackerEvent } from "./common.js";
import { call, id, member, ref, union, word } from "../syntax.js";
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
      b.property("context", entities(true), "Entities attached to the event (generated ones, or {@link uncheckedEntity})."),
      b.property("timestamp", union([ref("Timestamp"), word("null"), word("undefined")]),
        "When the event happened: the node tracker's `Timestamp`, a number (ms, the device timestamp) or `{ type: \"ttm\" | \"dtm\", value }`."),
    ], "Options of the generated track functions: what the node tracker's `track` takes besides the event, with `context` limited to {@link Entity}."),
    pickedTracker(b, "Tracker", "track", "What the track functions need of a tracker: the node tracker's `Tracker` (from `newTracker`), or anything with its `track`."),
  ],
  moduleTypes: ["EventTracker", "SelfDescribingJson", "TrackEventOptions"],
  moduleImports: (b) => [b.valueImport(["buildSelfDescribingEvent"], PACKAGE)],
  optionNames: "context, timestamp",
  track(b, { dataType, schema, data }) {
    const payload = call(id("buildSelfDescribingEvent"), [{ kind: "object", entries: [{ name: "event", value: trackerEvent(b, schema, data) }] }]);
    return {
      parameters: [
        { name: "tracker", type: ref("EventTracker") },
        { name: "data", type: dataType },
        { name: "options", type: ref("TrackEventOptions"), optional: true },
      ],
      body: [{ kind: "expression", expression: call(member(id("tracker"), "track"), [
        payload,
        trackerEntities(b, b.orElse(b.option("context"), id("null")), "null"),
        b.orElse(b.option("timestamp"), id("null")),
      ]) }],
    };
  },
};
