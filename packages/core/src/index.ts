// @graphwire/core — table of contents.

// The facade and its request handlers
export { Connection } from './connection.js';
export type { ConnectionOptions } from './options.js';
export type { HeaderInput } from './headers.js';
export type { RequestOptions } from './executor.js';
export type { NaiveRequest } from './naive-request.js';
export { PageIterator } from './paginate.js';
export type { GraphPage, PaginateOptions } from './paginate.js';
export type { BatchOptions } from './batch-options.js';
export type { BatchRequest } from './batch-plan.js';
export type { BatchResponse } from './batch-codec.js';
export type { UploadOptions, UploadTarget } from './upload.js';
export type { UploadData } from './upload-source.js';
export type { ResponsePromise } from 'ky';

// Sessions (where tokens come from) and token stores (where sessions keep them)
export type { AccessToken, AuthSession, TokenRequest } from './session.js';
export { StaticTokenSession } from './static-token-session.js';
export { TokenInvalidation } from './token-invalidation.js';
export type { StaticTokenSource } from './static-token-session.js';
export type { TokenStore } from './token-store.js';
export { MemoryTokenStore } from './token-store.js';
export { KeyedMutex } from './keyed-mutex.js';
export { parseEncryptionKey, sealToken, openToken, isSealedToken, parseTokenEnvelope, TOKEN_ENVELOPE_FORMAT } from './token-encryption.js';
export type { SealedToken, TokenEnvelope } from './token-encryption.js';

// Errors
export { GraphError, isGraphError } from './errors/graph-error.js';
export type { GraphErrorInit, GraphInnerError } from './errors/graph-error.js';
export { GraphAuthError, isGraphAuthError } from './errors/graph-auth-error.js';
export type { GraphAuthErrorOptions } from './errors/graph-auth-error.js';

// Retry policy and timing (pure, reusable)
export type { RetryOptions } from './retry-policy.js';
export { parseRetryAfter, parseHttpDate, backoffDelay } from './retry-timing.js';
export type { BackoffOptions } from './retry-timing.js';

// Where credentials may go (platform packages apply the same rule to token endpoints)
export { isSecureEndpoint } from './target.js';

// Sharing throttle pauses between Connections (tabs, workers, service instances)
export type { ThrottleChannel, ThrottlePause } from './throttle-channel.js';
export { BroadcastChannelThrottle } from './broadcast-channel-throttle.js';

// Option validation shared by every graphwire package (unknown keys and wrong types are TypeErrors)
export { validateOptions, rules as optionRules, oneOf, either, arrayOf } from './option-rules.js';
export type { OptionRule, OptionRules } from './option-rules.js';

// Observability hooks: `telemetry: openTelemetry()` from '@graphwire/core/opentelemetry', or your own
export type {
  Telemetry, TelemetryRequest, RequestObserver, RequestOutcome, RetryEvent, ThrottleEvent, TokenAcquisitionEvent,
} from './telemetry.js';

// National clouds, logging
export { CLOUD_HOSTS, authorityFor, cloudEndpoint } from './clouds.js';
export type { ApiVersion, CloudEndpoint, CloudName } from './clouds.js';
export type { Logger } from './logger.js';
export { VERSION } from './version.js';
