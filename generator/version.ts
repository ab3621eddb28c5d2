export { VERSION as GENERATOR_VERSION } from "../runtime/version.js";
