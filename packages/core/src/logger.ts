/** Any object with these methods, `console` included. Lines never contain tokens. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
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
