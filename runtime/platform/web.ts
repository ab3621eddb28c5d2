/**
 * The emitter everywhere but Node: browsers, web workers, edge runtimes
 * (Cloudflare Workers, Vercel Edge), Deno and Bun. HTTP through the standard
 * fetch; in a page, a flush when it is hidden and a last send (sendBeacon)
 * when it is unloaded; where a Node-style process exists (Bun, Deno's Node
 * mode), its beforeExit/exit. Nothing here imports undici or a Node module.
 */
import { createFetchTransport } from "../emitter/fetch-transport.js";
import type { EmitterPlatform, LifecycleParticipant } from "../emitter/platform.js";
import { registerForExit } from "../exit.js";

interface PageEvents {
  readonly visibilityState?: string;
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

export const webPlatform: EmitterPlatform = {
  transport(settings) {
    const chosen = settings.transport;
    if (typeof chosen === "object") return chosen;
    if (chosen === "undici") throw new TypeError("Emitter: the undici transport is for Node; here use \"fetch\" (the default)");
    return createFetchTransport({ origin: settings.origin, credentials: settings.credentials });
  },
  lifecycle(participant) {
    const page = pageOf();
    return page === undefined ? registerForExit(participant) : registerForPage(page, participant);
  },
};

function pageOf(): { document: PageEvents; window: PageEvents } | undefined {
  const scope = globalThis as { document?: PageEvents; window?: PageEvents };
  if (typeof scope.document?.addEventListener !== "function" || typeof scope.window?.addEventListener !== "function") return undefined;
  return { document: scope.document, window: scope.window };
}

function registerForPage(page: { document: PageEvents; window: PageEvents }, participant: LifecycleParticipant): () => void {
  const onVisibility = (): void => {
    if (page.document.visibilityState === "hidden") participant.atHidden();
  };
  const onPageHide = (): void => participant.atPageHide();
  page.document.addEventListener("visibilitychange", onVisibility);
  page.window.addEventListener("pagehide", onPageHide);
  return () => {
    page.document.removeEventListener("visibilitychange", onVisibility);
    page.window.removeEventListener("pagehide", onPageHide);
  };
}
