/**
 * `react-native-tracker`: Snowplow's `@snowplow/react-native-tracker` (4.x).
 * `trackX(tracker, data, { context })` calls
 * `tracker.trackSelfDescribingEvent(event, contexts)`; the tracker is anything
 * with that method (its `ReactNativeTracker`, from `newTracker`). That method
 * takes no timestamp, so neither do the options. The generated code imports
 * types only from the package: nothing of React Native at run time.
 */
import { declaredSelfDescribingJson, entities, optionsInterface, pickedTracker, trackerEntities, trackerEvent } from "./common.js";
import { call, id, member, ref } from "../syntax.js";
import type { Target } from "./target.js";

const PACKAGE = "@snowplow/react-native-tracker";

export const reactNativeTracker: Target<"react-native-tracker"> = {
  name: "react-native-tracker",
  describe: "react-native-tracker: @snowplow/react-native-tracker 4's tracker.trackSelfDescribingEvent; trackX(tracker, data, { context })",
  packageName: () => PACKAGE,
  indexImports: (b) => [b.typeImport(["ReactNativeTracker"], PACKAGE)],
  selfDescribingJson: declaredSelfDescribingJson,
  indexDeclarations: (b) => [
    optionsInterface(b, [
      b.property("context", entities(false), "Entities attached to the event (generated ones, or {@link uncheckedEntity})."),
    ], "Options of the generated track functions: the entities the React Native tracker's `trackSelfDescribingEvent` takes, limited to {@link Entity}. It takes no timestamp."),
    pickedTracker(b, "ReactNativeTracker", "trackSelfDescribingEvent",
      "What the track functions need of a tracker: the React Native tracker's `ReactNativeTracker` (from `newTracker`), or anything with its `trackSelfDescribingEvent`."),
  ],
  moduleTypes: ["EventTracker", "SelfDescribingJson", "TrackEventOptions"],
  moduleImports: () => [],
  optionNames: "context",
  track(b, { dataType, schema, data }) {
    return {
      parameters: [
        { name: "tracker", type: ref("EventTracker") },
        { name: "data", type: dataType },
        { name: "options", type: ref("TrackEventOptions"), optional: true },
      ],
      body: [{ kind: "expression", expression: call(member(id("tracker"), "trackSelfDescribingEvent"), [
        trackerEvent(b, schema, data),
        trackerEntities(b, b.option("context"), "undefined"),
      ]) }],
    };
  },
};
