/** Graph's `error.code` from a body text, without failing on bodies that are not Graph JSON. */
export function parseGraphErrorCode(text: string): string | undefined {
  if (!text.includes('"error"')) return undefined;
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}
