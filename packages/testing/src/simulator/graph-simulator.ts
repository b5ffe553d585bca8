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

export interface GraphSimulatorOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Seeded users, default 25: ids `user-1`…, displayName `User 1`, userPrincipalName and mail `user1@contoso.test`. */
  users?: number;
  /** Overrides merged into the `me` object (default: user-1). */
  me?: Record<string, unknown>;
  /** Decides whether a bearer is valid; may be async. Revoked tokens are refused before it is asked. */
  validateToken?: (token: string, request: IncomingMessage) => TokenCheck | Promise<TokenCheck>;
  /** Default true: every /v1.0 and /beta route needs a bearer. */
  requireAuth?: boolean;
  /** A request budget per token (per client IP without one) per window; past it, 429 and no execution. */
  throttle?: ThrottleOptions;
  /** Added before every response. */
  latencyMs?: number;
  /** Order of a `$batch`'s responses; default 'shuffled' (deterministic, never the input order). Graph keeps no order. */
  batchResponseOrder?: BatchResponseOrder;
  /** Uploaded files up to this many bytes keep their content for `GET …/content`; default 16 MiB. Larger ones keep size and hash only. */
  keepUploadedContent?: number;
  /** Every upload fragment but the last must be a multiple of this many bytes; default 327680 (320 KiB, Graph's rule). 1 turns it off. */
  uploadFragmentMultiple?: number;
}

export interface GraphSimulator {
  /** `http://127.0.0.1:PORT`; Graph paths are under `/v1.0/` and `/beta/`. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and ends every socket, kept-alive ones included. */
  close(): Promise<void>;
  /** Queues faults for `'METHOD /path'` (`*` for any method; a path ending in `/*` matches a prefix). */
  script(route: string, faults: Fault[]): void;
  /** Later requests with this token get 401 InvalidAuthenticationToken. */
  revokeToken(token: string): void;
  /** Clears stats, scripts, throttle counters, revocations, created resources, drive items and upload sessions (not seeded users). */
  reset(): void;
  /** Live: updated as requests arrive. */
  readonly stats: SimulatorStats;
}

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
