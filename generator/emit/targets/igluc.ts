/**
 * `igluc` (the default): the track functions call igluc's own runtime,
 * `@igluc/runtime` (or the module `runtimeImport` names), whose `Tracker` has
 * `trackSelfDescribingEvent(event, options)` and whose types (the literal
 * `SelfDescribingJson<S, D>`, `TrackOptions`) the index re-exports.
 */
import type { Target } from "./target.js";

export const igluc: Target<"igluc"> = {
  name: "igluc",
  describe: "igluc: @igluc/runtime's Tracker (or the module --runtime-import names)",
  packageName: (settings) => settings.runtimeImport,
  indexImports: (b, settings) => [b.typeImport(["SelfDescribingJson", "TrackOptions"], settings.runtimeImport)],
  // The schema modules take it from here, so the runtime's types are resolved once, not per module.
  selfDescribingJson: (b) => [b.f.createExportDeclaration(undefined, true, b.f.createNamedExports([b.f.createExportSpecifier(false, undefined, "SelfDescribingJson")]))],
  indexDeclarations(b) {
    const { f, ts } = b;
    const options = b.jsDoc(f.createInterfaceDeclaration(b.exported(), "TrackEventOptions", undefined,
      [f.createHeritageClause(ts.SyntaxKind.ExtendsKeyword, [f.createExpressionWithTypeArguments(f.createIdentifier("Omit"), [
        b.ref("TrackOptions"), f.createLiteralTypeNode(f.createStringLiteral("context")),
      ])])],
      [f.createPropertySignature([f.createModifier(ts.SyntaxKind.ReadonlyKeyword)], "context", f.createToken(ts.SyntaxKind.QuestionToken),
        b.union([f.createTypeOperatorNode(ts.SyntaxKind.ReadonlyKeyword, f.createArrayTypeNode(b.ref("Entity"))), b.keyword("undefined")]))],
    ), "Options of the generated track functions: the runtime's, with `context` limited to {@link Entity}.");
    const eventParameter = f.createParameterDeclaration(undefined, undefined, "event", undefined, b.ref("SelfDescribingJson"));
    const optionsParameter = f.createParameterDeclaration(undefined, undefined, "options", f.createToken(ts.SyntaxKind.QuestionToken), b.ref("TrackEventOptions"));
    const tracker = b.jsDoc(f.createInterfaceDeclaration(b.exported(), "EventTracker", undefined, undefined, [
      f.createMethodSignature(undefined, "trackSelfDescribingEvent", undefined, undefined, [eventParameter, optionsParameter], b.keyword("unknown")),
    ]), "What the track functions need of a tracker: the runtime's `Tracker`, or anything with this method.");
    return [options, tracker];
  },
  moduleTypes: ["EventTracker", "SelfDescribingJson", "TrackEventOptions"],
  moduleImports: () => [],
  optionNames: "context, timestamp, subject",
  track(b, { dataType, event }) {
    const { f } = b;
    return {
      parameters: [
        { name: "tracker", type: b.ref("EventTracker") },
        { name: "data", type: dataType },
        { name: "options", type: b.ref("TrackEventOptions"), optional: true },
      ],
      body: [f.createExpressionStatement(f.createCallExpression(
        f.createPropertyAccessExpression(f.createIdentifier("tracker"), "trackSelfDescribingEvent"), undefined, [event, f.createIdentifier("options")],
      ))],
    };
  },
};
