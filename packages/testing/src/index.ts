// @graphwire/testing — table of contents.

// A local Microsoft Graph: real HTTP, Graph's headers, errors and paging, scriptable faults,
// JSON batching, drive items and upload sessions.
export { startGraphSimulator } from './simulator/graph-simulator.js';
export type { GraphSimulator, GraphSimulatorOptions } from './simulator/graph-simulator.js';
export type { Fault } from './simulator/fault.js';
export type { TokenCheck } from './simulator/auth.js';
export type { ThrottleOptions } from './simulator/throttle.js';
export type { RequestRecord, SimulatorStats, SubRequestRecord } from './simulator/stats.js';
export type { BatchResponseOrder } from './simulator/batch/batch-order.js';
export type { BatchResponseItem } from './simulator/batch/sub-response.js';
export type { ConflictBehavior } from './simulator/drive/drive-store.js';

// A real OpenID provider (oidc-provider) on loopback that MSAL can talk to, and a validator that
// lets the simulator check the provider's JWTs against its JWKS.
export * from './oidc/index.js';
