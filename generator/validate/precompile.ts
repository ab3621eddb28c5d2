/**
 * Build step (`npm run build`, after tsc): writes the Iglu metaschema's
 * validator as ajv standalone code, so runs need not compile it
 * (metaschema.ts says when the file is used).
 */
import fs from "node:fs";
import path from "node:path";
import { PRECOMPILED_PATH, metaschemaModule, packageRoot } from "./metaschema.js";

const file = path.join(packageRoot(), PRECOMPILED_PATH);
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(file, metaschemaModule());
