/** igluc's version (kept equal to package.json's by a test); written into generated files and the manifest. */
export const GENERATOR_VERSION = "0.1.0";
