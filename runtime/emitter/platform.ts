/**
 * What an emitter needs from the JavaScript runtime it runs on, given by the
 * package entry that runtime loads: how to send when the options name no
 * transport, and how to hear that the process or page is ending. The core
 * emitter imports neither undici nor anything of Node's, so a bundle for a
 * browser or an edge runtime holds none of it.
 */
import type { EmitterSettings } from "./config.js";
import type { Transport } from "./transport-types.js";

/** Told when the process or page is ending. */
export interface LifecycleParticipant {
  /** The process is about to exit on its own (Node's beforeExit): send, within a deadline. */
  atExit(): Promise<void>;
  /** The process is ending now (process.exit, a crash): report what is lost, synchronously. */
  atExitNow(): void;
  /** The page is hidden (it may never be shown again): send what waits. */
  atHidden(): void;
  /** The page is being unloaded: hand what waits to the browser (sendBeacon), which outlives the page. */
  atPageHide(): void;
}

export interface EmitterPlatform {
  /** The transport for the `transport` option as given (undefined: this platform's default). */
  transport(settings: EmitterSettings): Transport;
  /** Hooks the end of the process or page; returns the way to unhook. */
  lifecycle(participant: LifecycleParticipant): () => void;
}
