// Types for plan.mjs (the scenario's files stay plain JavaScript so every runtime loads them as is).
export declare const TOKEN: string;
export declare const RESULT_PREFIX: string;
export declare const PLAN: {
  users: number;
  pageSize: number;
  createPath: string;
  retryPath: string;
  slowPath: string;
  slowMs: number;
};
export declare function scriptFaults(sim: { script(route: string, faults: object[]): void }): void;
