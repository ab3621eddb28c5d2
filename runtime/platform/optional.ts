/**
 * Optional peer packages (@redis/client, undici), loaded synchronously when a
 * feature that needs one is set up, so a missing package is a configuration
 * error at once ("npm install …"), not a failure retried later.
 */
import { createRequire } from "node:module";

export function requireOptional<T>(name: string, owner: string, why: string): T {
  try {
    return createRequire(import.meta.url)(name) as T;
  } catch (error) {
    if ((error as { code?: unknown }).code !== "MODULE_NOT_FOUND") throw error;
  }
  throw new Error(`${owner} needs the ${name} package${why === "" ? "" : ` ${why}`}, which is not installed: npm install ${name}`);
}
