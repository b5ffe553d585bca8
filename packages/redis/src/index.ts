// @graphwire/redis — table of contents.

// One MSAL token cache for every instance, with a distributed lock
export { RedisTokenStore } from './redis-token-store.js';
export type { RedisTokenStoreOptions } from './redis-token-store.js';
export { RedisTokenStoreError } from './errors.js';
export type { RedisTokenStoreErrorCode } from './errors.js';

// The client it takes (node-redis 5 / 6, single or cluster)
export type { RedisClientLike } from './client.js';

// 429 pauses shared by every instance
export { RedisThrottleChannel } from './throttle-channel.js';
export type { RedisThrottleChannelOptions } from './throttle-channel.js';
