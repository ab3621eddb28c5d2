/**
 * What every package entry exports (see index.ts and node.ts); the entries
 * add the Emitter and Snowplow bound to their JavaScript runtime.
 */
export type { CreateTrackerOptions, SnowplowApi } from "./snowplow.js";
export { Tracker, type TrackerConfig } from "./tracker.js";
export { Subject } from "./subject.js";
export type { EmitterConfig } from "./emitter/config.js";
export type {
  EmitterStats, FailureInfo, FailureReason, CloseOptions, CloseReport, TrackerEmitter,
} from "./emitter/types.js";
export type { RetryOptions } from "./emitter/retry.js";
export type { Transport, HttpRequest, HttpOutcome, AbortSignalLike } from "./emitter/transport-types.js";
export { InMemoryEventStore, type InMemoryEventStoreOptions } from "./store/in-memory.js";
export { LocalStorageEventStore, type LocalStorageEventStoreOptions, type StorageLike } from "./store/local-storage.js";
export type { EventStore, StoredEvent, MaybePromise } from "./store/event-store.js";
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
export type { Validator, Validators, ValidationIssue, ValidationMode, ValidationOptions } from "./validation/validate.js";
export { ValidationError } from "./validation/validate.js";
