/**
 * Build step (`npm run build`, after tsc): writes the validators of
 * precompiled.ts (the Iglu metaschema, the options' schemas) as ajv
 * standalone code, so runs need not compile them.
 */
import fs from "node:fs";
import path from "node:path";
import { compileMetaschema, METASCHEMA } from "./metaschema.js";
import { PRECOMPILED_DIR, packageRoot, standaloneModule } from "./precompiled.js";
import { OPTIONS_SCHEMAS, compileOptionsSchema } from "../options/validate.js";

const dir = path.join(packageRoot(), PRECOMPILED_DIR);
fs.mkdirSync(dir, { recursive: true });
const meta = compileMetaschema(true);
fs.writeFileSync(path.join(dir, `${METASCHEMA}.cjs`), standaloneModule(meta.ajv, meta.validate, meta.fingerprint));
for (const [name, schema] of Object.entries(OPTIONS_SCHEMAS)) {
  const compiled = compileOptionsSchema(schema, true);
  fs.writeFileSync(path.join(dir, `${name}.cjs`), standaloneModule(compiled.ajv, compiled.validate, compiled.fingerprint));
}
