/**
 * The forms a module is written in. `emit: "ts"` writes TypeScript modules;
 * `emit: "js"` writes each module twice: its JavaScript and its declarations.
 * Kept apart from module.ts so the run can name files without loading TypeScript.
 */
export type Emit = "ts" | "js";

/** How one file of a module is printed: TypeScript, declarations only, or JavaScript only. */
export type Form = "ts" | "dts" | "js";

/** The files of a module, by suffix; the first is the one the manifest names. */
export function formsOf(emit: Emit): readonly { readonly suffix: string; readonly form: Form }[] {
  return emit === "ts" ? [{ suffix: ".ts", form: "ts" }] : [{ suffix: ".js", form: "js" }, { suffix: ".d.ts", form: "dts" }];
}

/** The files of a schema's validator (--validators), whatever the emit form: ajv writes JavaScript, declared by a .d.ts. */
export const VALIDATOR_SUFFIXES = [".validate.js", ".validate.d.ts"] as const;
