/** Which item a drive URL names, and what is asked of it. */
export interface DriveAddress {
  driveId: string;
  target: { path: string } | { itemId: string };
  /** What follows the item: `content`, `createUploadSession`, or undefined for the item itself. */
  action: string | undefined;
}

/**
 * Parses `me/drive/root:/reports/q3.pdf:/content`, `users/{id}/drive/root:/…`,
 * `drives/{driveId}/root:/…` and `…/items/{id}[/content|/createUploadSession]`. A user's drive
 * is `drive-<user id>`, so `me/drive` and `users/<me's id>/drive` are the same drive. Undefined
 * for paths that are not a drive item, which other routes then get to answer.
 */
export function parseDriveAddress(segments: readonly string[], meId: string): DriveAddress | undefined {
  let driveId: string;
  let rest: readonly string[];
  if (segments[0] === 'me' && segments[1] === 'drive') [driveId, rest] = [`drive-${meId}`, segments.slice(2)];
  else if (segments[0] === 'users' && segments[1] !== undefined && segments[2] === 'drive') {
    [driveId, rest] = [`drive-${segments[1]}`, segments.slice(3)];
  } else if (segments[0] === 'drives' && segments[1] !== undefined) [driveId, rest] = [segments[1], segments.slice(2)];
  else return undefined;

  if (rest[0] === 'items' && rest[1] !== undefined && rest.length <= 3) {
    return { driveId, target: { itemId: rest[1] }, action: rest[2] };
  }
  if (rest[0] !== 'root:') return undefined;
  // The item path runs to the first segment ending in ':'; without one, it runs to the end.
  const names = rest.slice(1);
  const end = names.findIndex((name) => name.endsWith(':'));
  const pathNames = end === -1 ? names : [...names.slice(0, end), names[end]!.slice(0, -1)];
  const action = end === -1 ? undefined : names.slice(end + 1).join('/') || undefined;
  const path = pathNames.filter(Boolean).join('/');
  if (path === '') return undefined;
  return { driveId, target: { path }, action };
}
