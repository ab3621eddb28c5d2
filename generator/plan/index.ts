/**
 * Tracking plans (event specifications): the only entry points. readPlan
 * reads a plan file, igluc's own format or a Snowplow data product;
 * resolvePlan checks it against the generated schemas and resolves it into
 * what emit works from (model.ts).
 */
export { readPlan, type PlanRead } from "./load.js";
export { resolvePlan, planSchemasOf, type PlanSchemas, type ResolveOptions, type PlanResolution } from "./resolve.js";
export type * from "./model.js";
