/**
 * `igluc` (the default): the track functions call igluc's own runtime,
 * `@igluc/runtime` (or the module `runtimeImport` names), whose `Tracker` has
 * `trackSelfDescribingEvent(event, options)` and whose types (the literal
 * `SelfDescribingJson<S, D>`, `TrackOptions`) the index re-exports.
 */
import { call, id, member, ref, union, word } from "../syntax.js";
import type { Target } from "./target.js";

export const igluc: Target<"igluc"> = {
  name: "igluc",
  describe: "igluc: @igluc/runtime's Tracker (or the module --runtime-import names)",
  packageName: (settings) => settings.runtimeImport,
  indexImports: (b, settings) => [b.typeImport(["SelfDescribingJson", "TrackOptions"], settings.runtimeImport)],
  // The schema modules take it from here, so the runtime's types are resolved once, not per module.
  selfDescribingJson: () => [{ kind: "export", names: ["SelfDescribingJson"], typeOnly: true }],
  indexDeclarations(b) {
    const options = b.jsDoc({
      kind: "interface", exported: true, name: "TrackEventOptions",
      extends: [ref("Omit", [ref("TrackOptions"), { kind: "string", value: "context" }])],
      members: [{ kind: "property", readonly: true, name: "context", optional: true, type: union([{ kind: "array", readonly: true, element: ref("Entity") }, word("undefined")]) }],
    }, "Options of the generated track functions: the runtime's, with `context` limited to {@link Entity}.");
    const tracker = b.jsDoc({
      kind: "interface", exported: true, name: "EventTracker",
      members: [{
        kind: "method", name: "trackSelfDescribingEvent", returns: word("unknown"),
        parameters: [{ name: "event", type: ref("SelfDescribingJson") }, { name: "options", type: ref("TrackEventOptions"), optional: true }],
      }],
    }, "What the track functions need of a tracker: the runtime's `Tracker`, or anything with this method.");
    return [options, tracker];
  },
  moduleTypes: ["EventTracker", "SelfDescribingJson", "TrackEventOptions"],
  moduleImports: () => [],
  optionNames: "context, timestamp, subject",
  track(_b, { dataType, event }) {
    return {
      parameters: [
        { name: "tracker", type: ref("EventTracker") },
        { name: "data", type: dataType },
        { name: "options", type: ref("TrackEventOptions"), optional: true },
      ],
      body: [{ kind: "expression", expression: call(member(id("tracker"), "trackSelfDescribingEvent"), [event, id("options")]) }],
    };
  },
};
