/**
 * igluc/runtime: a Snowplow tracker, subject and emitter.
 * The public API is exactly what is named here.
 */
export { Snowplow, type CreateTrackerOptions } from "./snowplow.js";
export { Tracker, type TrackerConfig } from "./tracker.js";
export { Subject } from "./subject.js";
export { Emitter, type EmitterConfig } from "./emitter/emitter.js";
export type {
  EmitterStats, FailureInfo, FailureReason, CloseOptions, CloseReport, TrackerEmitter,
} from "./emitter/types.js";
export type { RetryOptions } from "./emitter/retry.js";
export type { Transport, HttpRequest, HttpOutcome, AbortSignalLike } from "./emitter/transport-types.js";
export { InMemoryEventStore, type InMemoryEventStoreOptions } from "./store/in-memory.js";
export type { EventStore, StoredEvent, MaybePromise } from "./store/event-store.js";
export { RedisEventStore, type RedisEventStoreOptions } from "./redis/event-store.js";
export { RedisEmitter, type RedisEmitterOptions, type RedisEmitterStats } from "./redis/emitter.js";
export { RedisWorker, type RedisWorkerOptions, type RunOptions, type WorkerReport } from "./redis/worker.js";
export type { RedisCommander, RedisConnectionOptions } from "./redis/connection.js";
export { closeOnExit, type Closable, type ShutdownOptions } from "./shutdown.js";
export { createLogger, silentLogger, type Logger, type LoggerOptions, type LogLevel } from "./logger.js";
export type { Payload, Platform } from "./protocol.js";
export type {
  SelfDescribingJson, Timestamp, TrackOptions, PageView, PagePing, StructEvent,
  EcommerceTransaction, EcommerceTransactionItem, TransactionItem,
} from "./events/types.js";
export type {
  LinkClick, AddToCart, RemoveFromCart, ChangeForm, SubmitForm, SubmitFormElement, SiteSearch, ScreenView, MobileScreenView,
  FormNodeName, FormInputType,
} from "./events/builtins.js";
