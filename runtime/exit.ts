/**
 * The last chance to send before a Node process ends on its own: when the
 * event loop empties, Node emits `beforeExit`, and whatever work a listener
 * starts keeps the process alive until it is done. Every emitter that holds
 * events registers here; one listener serves them all (so many emitters do
 * not add many listeners), and it is removed when none is registered.
 *
 * `beforeExit` does not fire on `process.exit()`, on a signal, or on an
 * uncaught exception; `closeOnExit` covers signals. When the process ends
 * while events are still held (`process.exit()`, an uncaught exception),
 * nothing more can be sent, but it is said: each participant reports what it
 * held, synchronously, on `exit`.
 */

export interface ExitParticipant {
  /** Sends or hands back what it holds; must end by its own deadline. */
  atExit(): Promise<void>;
  /** The process is ending now: report (synchronously) what could not be sent. */
  atExitNow(): void;
}


const participants = new Set<ExitParticipant>();
let listening = false;

interface ProcessEvents {
  on(event: "beforeExit" | "exit", listener: () => void): unknown;
  off(event: "beforeExit" | "exit", listener: () => void): unknown;
}

const nodeProcess = (globalThis as { process?: Partial<ProcessEvents> }).process as ProcessEvents | undefined;
const supported = typeof nodeProcess?.on === "function" && typeof nodeProcess.off === "function";

function onBeforeExit(): void {
  for (const participant of [...participants]) {
    participant.atExit().catch(() => undefined);
  }
}

function onExit(): void {
  for (const participant of [...participants]) {
    try {
      participant.atExitNow();
    } catch {
      // The process is ending; a report that fails must not change its exit.
    }
  }
}

/** Registers `participant` for the process's `beforeExit`; returns the way to unregister. */
export function registerForExit(participant: ExitParticipant): () => void {
  if (!supported) return () => undefined;
  participants.add(participant);
  if (!listening) {
    nodeProcess!.on("beforeExit", onBeforeExit);
    nodeProcess!.on("exit", onExit);
    listening = true;
  }
  return () => {
    participants.delete(participant);
    if (participants.size === 0 && listening) {
      nodeProcess!.off("beforeExit", onBeforeExit);
      nodeProcess!.off("exit", onExit);
      listening = false;
    }
  };
}
