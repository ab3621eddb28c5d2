/**
 * The files `--validators` writes: per schema, its validator (ajv's
 * standalone code, linked to igluc's run-time helpers by validator.ts) and
 * its declarations; per output, `validators.js`, the map from Iglu URI to
 * validator the tracker's `validation.validators` option takes. The map is
 * a module of its own, so an app that never imports it (a production build)
 * bundles none of the validators.
 */
import { stringLiteral } from "./escape.js";
import { header, type EmitSettings } from "./module.js";

/** A schema's validator module: the header, then the linked code. */
export function validatorModule(uri: string, code: string, settings: EmitSettings): string {
  return `${header(`${uri} (its validator, compiled by ajv)`, settings)}${code}`;
}

/** The declarations of a schema's validator module. */
export function validatorDeclarations(uri: string, validationImport: string, settings: EmitSettings): string {
  return `${header(`${uri} (its validator's declarations)`, settings)}import type { Validator } from ${stringLiteral(validationImport)};\n\n` +
    "/** True when the data matches the schema; else false, with `validate.errors` saying why. */\n" +
    "export declare const validate: Validator;\nexport default validate;\n";
}

/** `validators.js` and `validators.d.ts`: every schema's validator by Iglu URI. `modules`: each URI and its module's file stem, sorted by URI. */
export function validatorsIndex(modules: readonly { readonly uri: string; readonly file: string }[], validationImport: string, settings: EmitSettings): { js: string; dts: string } {
  // Snowplow's own trackers take the validators through a tracker-core plugin.
  const plugin = settings.target.name !== "igluc";
  const what = "the schemas' validators";
  const imports = modules.map((m, i) => `import v${i} from ${stringLiteral(`./${m.file}.validate.js`)};\n`).join("");
  const entries = modules.map((m, i) => `  ${stringLiteral(m.uri)}: v${i},\n`).join("");
  const pluginImport = plugin ? `import { validationPlugin as createPlugin } from ${stringLiteral(validationImport)};\n` : "";
  const PLUGIN_DOC = "/** A tracker-core plugin checking each event and entity with these validators: `tracker.addPlugin({ plugin: validationPlugin() })`. */\n";
  const js = `${header(what, settings)}${pluginImport}${imports}\n` +
    "/** Each schema's validator by its Iglu URI: the tracker's `validation: { validators }`. */\n" +
    `export const validators = Object.freeze({\n${entries}});\nexport default validators;\n` +
    (plugin ? `\n${PLUGIN_DOC}export const validationPlugin = (options = {}) => createPlugin({ ...options, validators });\n` : "");
  const types = plugin ? "Validators, ValidationOptions, ValidationPlugin" : "Validators";
  const dts = `${header(`${what} (declarations)`, settings)}import type { ${types} } from ${stringLiteral(validationImport)};\n\n` +
    "/** Each schema's validator by its Iglu URI: the tracker's `validation: { validators }`. */\n" +
    "export declare const validators: Validators;\nexport default validators;\n" +
    (plugin ? `\n${PLUGIN_DOC}export declare const validationPlugin: (options?: Omit<ValidationOptions, "validators">) => ValidationPlugin;\n` : "");
  return { js, dts };
}
