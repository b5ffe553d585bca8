import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultValidateToken, type TokenCheck } from './auth.js';
import { FaultScripts, type Fault } from './fault.js';
import { originOf } from './http-util.js';
import { batchRoute } from './batch/batch-route.js';
import type { BatchResponseOrder } from './batch/batch-order.js';
import { runSubRequest } from './batch/sub-request.js';
import { DriveStore } from './drive/drive-store.js';
import { driveRoute } from './drive/drive-route.js';
import { uploadRoute } from './drive/upload-route.js';
import { UploadSessions } from './drive/upload-sessions.js';
import { handleRequest, type SimulatorState } from './request-pipeline.js';
import { redirectRoute } from './routes/redirect.js';
import { ResourceStore } from './routes/resource-store.js';
import { resourcesRoute } from './routes/resources.js';
import { seedUser, seedUsers, usersRoute } from './routes/users.js';
import { clearStats, createStats, type SimulatorStats } from './stats.js';
import { validateFaults, validateSimulatorOptions } from './simulator-options.js';
import { Throttle, type ThrottleOptions } from './throttle.js';

const MIB = 1024 * 1024;

/**
 * Options of {@link startGraphSimulator}. Every option is optional, and they are checked
 * strictly: an unknown key or a wrong type rejects with a `TypeError` that names the option.
 */
export interface GraphSimulatorOptions {
  /** Port to listen on; default `0`, any free port (read the one chosen from {@link GraphSimulator.port}). */
  port?: number;
  /** Interface to listen on; default `'127.0.0.1'`. */
  host?: string;
  /** Seeded users, default 25: ids `user-1`…, displayName `User 1`, userPrincipalName and mail `user1@contoso.test`. */
  users?: number;
  /** Properties merged over user-1 to form `GET /me`; default none, so `/me` is user-1. */
  me?: Record<string, unknown>;
  /**
   * Decides whether a bearer token is valid; may be async (e.g. {@link jwksTokenValidator}). A
   * refusal is a 401 `InvalidAuthenticationToken`; a validator that throws is a 500. Revoked tokens
   * are refused before it is asked. The default accepts any non-empty bearer except tokens starting
   * with `expired` (refused as expired) or `invalid` (refused as invalid), and the strings
   * `undefined` and `null`.
   */
  validateToken?: (token: string, request: IncomingMessage) => TokenCheck | Promise<TokenCheck>;
  /** Default `true`: every `/v1.0` and `/beta` route needs a valid bearer. `false` skips authentication entirely. */
  requireAuth?: boolean;
  /**
   * A request budget per token (per client IP without one) per window (fixed, or sliding with
   * `sliding: true`); past it, 429
   * `TooManyRequests` with `Retry-After`, and the request is not executed. Default: no throttling.
   */
  throttle?: ThrottleOptions;
  /** Delay in milliseconds added before every response; default `0`. */
  latencyMs?: number;
  /**
   * Order of a `$batch`'s `responses`; default `'shuffled'` (deterministic, never the input order
   * when there are 2+ items). Graph keeps no order, so the default breaks clients that match
   * responses by position.
   */
  batchResponseOrder?: BatchResponseOrder;
  /**
   * Uploaded files up to this many bytes keep their content for `GET …/content`; default 16777216
   * (16 MiB). Larger ones keep only `size` and `sha256Hash`, and their content is 410 `contentNotKept`.
   */
  keepUploadedContent?: number;
  /**
   * Every upload fragment but the last must be a multiple of this many bytes, else 400
   * `invalidRequest`; default 327680 (320 KiB, Graph's rule). `1` turns the check off.
   */
  uploadFragmentMultiple?: number;
}

/**
 * A running simulator, as returned by {@link startGraphSimulator}. Point your client's base URL
 * at `url + '/v1.0'`; in a test suite, call {@link GraphSimulator.reset} between tests and
 * {@link GraphSimulator.close} at the end.
 */
export interface GraphSimulator {
  /**
   * `http://127.0.0.1:PORT` by default (the `host` option's address otherwise, an IPv6 one in
   * brackets); Graph paths are under `/v1.0/` and `/beta/`.
   */
  readonly url: string;
  /** The port listened on: the one picked by the system when the `port` option was `0`. */
  readonly port: number;
  /** Stops listening and ends every socket, kept-alive and in-flight ones included. Calling it again returns the same promise. */
  close(): Promise<void>;
  /**
   * Queues faults for `'METHOD /path'` (no query string; `*` for any method; a path ending in `/*`
   * matches every path under that prefix). They are consumed one per request, in order; once the
   * queue is empty normal behaviour resumes. Calling it again for the same route appends. When
   * several scripts match, the most specific one with faults left answers. `$batch` items and
   * upload URLs (`'PUT /upload/sessions/*'`) take faults from the same queues. Throws a
   * `TypeError` for a malformed route or fault.
   */
  script(route: string, faults: Fault[]): void;
  /**
   * Later requests with this token get 401 `InvalidAuthenticationToken`, "Access token has expired
   * or is not yet valid.", whatever `validateToken` says (unless `requireAuth` is `false`).
   */
  revokeToken(token: string): void;
  /**
   * Clears stats, scripts, throttle counters, revoked tokens, created resources, drive items and
   * upload sessions; seeded users stay. `stats` is cleared in place, so a reference to it stays live.
   */
  reset(): void;
  /** Live counters and logs, updated as requests arrive. */
  readonly stats: SimulatorStats;
}

/**
 * Starts a local Microsoft Graph: a real HTTP server (`node:http`) with Graph's authentication,
 * error bodies, headers and paging, throttling, `$batch`, drive items with upload sessions, and
 * scriptable faults. Resolves once it is listening.
 *
 * @param options - Port, seeded users, token validation, throttling and more; all optional.
 * @returns The running simulator; close it with {@link GraphSimulator.close}.
 * @throws TypeError (as a rejection) for an unknown option or a value of the wrong type.
 */

export async function startGraphSimulator(options: GraphSimulatorOptions = {}): Promise<GraphSimulator> {
  validateSimulatorOptions(options);
  const host = options.host ?? '127.0.0.1';
  const closing = new AbortController();
  const store = new ResourceStore();
  const stats = createStats();
  const drive = new DriveStore();
  const uploads = new UploadSessions(drive, stats, {
    keepUploadedContent: options.keepUploadedContent ?? 16 * MIB,
    fragmentMultiple: options.uploadFragmentMultiple ?? 320 * 1024,
  });
  const me = { ...seedUser(1), ...options.me };
  const state: SimulatorState = {
    stats,
    scripts: new FaultScripts(),
    throttle: options.throttle ? new Throttle(options.throttle) : undefined,
    revoked: new Set(),
    validateToken: options.validateToken ?? defaultValidateToken,
    requireAuth: options.requireAuth ?? true,
    latencyMs: options.latencyMs ?? 0,
    routes: {
      graph: [
        // Items run through the same state, so scripts, the throttle and stats see them too.
        batchRoute({ stats, order: options.batchResponseOrder ?? 'shuffled', run: (sub) => runSubRequest(state, sub) }),
        redirectRoute,
        usersRoute(seedUsers(options.users ?? 25), me),
        driveRoute(drive, uploads, String(me.id)),
        resourcesRoute(store),
      ],
      raw: [uploadRoute(uploads)],
    },
    signal: closing.signal,
    origin: '',
  };

  // handleRequest answers its own errors; this only catches a failure to even send that answer.
  const server = createServer((request, response) => {
    handleRequest(state, request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  state.origin = originOf(host, port);

  let closed: Promise<void> | undefined;
  return {
    url: state.origin,
    port,
    stats: state.stats,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
    script(route, faults) {
      validateFaults(route, faults);
      state.scripts.add(route, faults);
    },
    revokeToken(token) {
      state.revoked.add(token);
    },
    reset() {
      clearStats(state.stats);
      state.scripts.clear();
      state.throttle?.reset();
      state.revoked.clear();
      store.clear();
      drive.clear();
      uploads.clear();
    },
  };
}
