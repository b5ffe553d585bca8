// @graphwire/testing — table of contents.

// A local Microsoft Graph: real HTTP, Graph's headers, errors and paging, scriptable faults.
export { startGraphSimulator } from './simulator/graph-simulator.js';
export type { GraphSimulator, GraphSimulatorOptions } from './simulator/graph-simulator.js';
export type { Fault } from './simulator/fault.js';
export type { TokenCheck } from './simulator/auth.js';
export type { ThrottleOptions } from './simulator/throttle.js';
export type { RequestRecord, SimulatorStats } from './simulator/stats.js';

// A real OpenID provider (oidc-provider) on loopback that MSAL can talk to, and a validator that
// lets the simulator check the provider's JWTs against its JWKS.
export * from './oidc/index.js';
