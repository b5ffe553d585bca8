import type { SimRequest } from '../sim-request.js';

/** The properties named by `$select`, or undefined when there is none. */
export function selectedProperties(request: SimRequest): string[] | undefined {
  const select = request.query.get('$select');
  if (select === null) return undefined;
  const names = select.split(',').map((name) => name.trim()).filter(Boolean);
  return names.length > 0 ? names : undefined;
}

/** `$select` done simply: keep the named properties (plus OData annotations), drop the rest. */
export function applySelect(entity: Record<string, unknown>, names: string[] | undefined): Record<string, unknown> {
  if (!names) return entity;
  return Object.fromEntries(Object.entries(entity).filter(([key]) => key.startsWith('@odata.') || names.includes(key)));
}
