/**
 * `browser-tracker`: Snowplow's `@snowplow/browser-tracker` (4.x), whose API
 * is functions, not a tracker object. `trackX(data, { context, timestamp,
 * trackers })` calls `trackSelfDescribingEvent({ event, context, timestamp },
 * trackers)`, sending to every tracker made with `newTracker`, or to those
 * `trackers` names.
 */
import { declaredSelfDescribingJson, entities, optionsInterface, trackerEntities, trackerEvent } from "./common.js";
import { call, id, ref, union, word } from "../syntax.js";
import type { Target } from "./target.js";

const PACKAGE = "@snowplow/browser-tracker";

export const browserTracker: Target<"browser-tracker"> = {
  name: "browser-tracker",
  describe: "browser-tracker: @snowplow/browser-tracker 4's trackSelfDescribingEvent; trackX(data, { context, timestamp, trackers })",
  packageName: () => PACKAGE,
  indexImports: (b) => [b.typeImport(["Timestamp"], PACKAGE)],
  selfDescribingJson: declaredSelfDescribingJson,
  indexDeclarations: (b) => [optionsInterface(b, [
    b.property("context", entities(true), "Entities attached to the event (generated ones, or {@link uncheckedEntity})."),
    b.property("timestamp", union([ref("Timestamp"), word("null"), word("undefined")]),
      "When the event happened: the browser tracker's `Timestamp`, a number (ms, the device timestamp) or `{ type: \"ttm\" | \"dtm\", value }`."),
    b.property("trackers", union([{ kind: "array", readonly: true, element: word("string") }, word("undefined")]),
      "The namespaces of the trackers to send to (as made by `newTracker`); all of them when left out."),
  ], "Options of the generated track functions: the browser tracker's `CommonEventProperties`, with `context` limited to {@link Entity}, and the trackers to send to.")],
  moduleTypes: ["SelfDescribingJson", "TrackEventOptions"],
  moduleImports: (b) => [b.valueImport(["trackSelfDescribingEvent"], PACKAGE)],
  optionNames: "context, timestamp, trackers",
  track(b, { dataType, schema, data }) {
    const event = { kind: "object", entries: [
      { name: "event", value: trackerEvent(b, schema, data) },
      // null, not undefined, for what was not given: the user's code may be compiled with exactOptionalPropertyTypes.
      { name: "context", value: trackerEntities(b, b.orElse(b.option("context"), id("null")), "null") },
      { name: "timestamp", value: b.orElse(b.option("timestamp"), id("null")) },
    ] } as const;
    const trackers = b.cast(b.option("trackers"), union([{ kind: "array", element: word("string") }, word("undefined")]));
    return {
      parameters: [{ name: "data", type: dataType }, { name: "options", type: ref("TrackEventOptions"), optional: true }],
      body: [{ kind: "expression", expression: call(id("trackSelfDescribingEvent"), [event, trackers]) }],
    };
  },
};
