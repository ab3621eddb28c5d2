/**
 * The targets `igluc generate --target` knows, by name. A new target is one
 * file beside this one (see target.ts), listed here.
 */
import { browserTracker } from "./browser-tracker.js";
import { igluc } from "./igluc.js";
import { nodeTracker } from "./node-tracker.js";
import { reactNativeTracker } from "./react-native-tracker.js";
import type { Target } from "./target.js";

/** In the order --help and README list them; the first is the default. */
export const TARGETS = [igluc, browserTracker, nodeTracker, reactNativeTracker] as const satisfies readonly Target[];

export type TargetName = (typeof TARGETS)[number]["name"];

export const TARGET_NAMES: readonly TargetName[] = TARGETS.map((t) => t.name);

export function targetNamed(name: TargetName): Target {
  return TARGETS.find((t) => t.name === name)!;
}
