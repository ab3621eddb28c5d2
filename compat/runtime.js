// igluc/runtime is now its own package, @igluc/runtime: this path re-exports it for code generated
// before the move. Import "@igluc/runtime" (generate again to update generated code).
export * from "@igluc/runtime";
