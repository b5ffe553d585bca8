/** Invalid options are programming errors: a TypeError whose message names the option and the fix. */
export function configError(message: string): TypeError {
  return new TypeError(`[@graphwire/core] ${message}`);
}
