/** A parsed `Content-Range: bytes START-END/TOTAL` of an upload fragment (END inclusive). */
export interface ContentRange {
  start: number;
  end: number;
  total: number;
}

/** Undefined for a missing, malformed or self-contradictory header (`*` totals included: Graph needs the size). */
export function parseContentRange(header: string | undefined): ContentRange | undefined {
  const match = /^bytes\s+(\d+)-(\d+)\/(\d+)$/i.exec(header?.trim() ?? '');
  if (!match) return undefined;
  const [start, end, total] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (!Number.isSafeInteger(end) || !Number.isSafeInteger(total) || start > end || end >= total) return undefined;
  return { start, end, total };
}
