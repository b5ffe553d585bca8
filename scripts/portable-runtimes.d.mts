// Types for portable-runtimes.mjs, which the portability test imports.
export interface RuntimeSpec { package: string; version: string; bin: string }
export interface InstalledRuntime { name: string; bin: string; version: string; dir: string; installed: boolean }
export declare const RUNTIMES: Record<'node20' | 'node22' | 'node24' | 'bun' | 'deno' | 'workerd', RuntimeSpec>;
export type RuntimeName = keyof typeof RUNTIMES;
export declare function cacheDir(): string;
export declare function ensureRuntime(name: RuntimeName, options?: { log?: (line: string) => void }): Promise<InstalledRuntime>;
export declare function ensureRuntimes(
  names?: RuntimeName[],
  options?: { log?: (line: string) => void },
): Promise<Record<RuntimeName, InstalledRuntime>>;
