/** Any object with these methods, `console` included. Lines never contain tokens. */
export interface Logger {
  /** A line per attempt (method, URL with credentials redacted, status, attempt, wait) and per token acquisition. */
  debug(message: string): void;
  /** Informational lines; graphwire itself writes none at this level. */
  info(message: string): void;
  /** Warnings; graphwire itself writes none at this level. */
  warn(message: string): void;
  /** Errors; graphwire itself writes none at this level: failures reach the caller as rejections. */
  error(message: string): void;
}

const noop = (): void => undefined;

/** Fills the levels a partial logger lacks, once, so the hot path never checks. */
export function resolveLogger(logger: Partial<Logger> | undefined): Logger {
  const level = (name: keyof Logger) => {
    const fn = logger?.[name];
    return typeof fn === 'function' ? (message: string) => fn.call(logger, message) : noop;
  };
  return { debug: level('debug'), info: level('info'), warn: level('warn'), error: level('error') };
}
