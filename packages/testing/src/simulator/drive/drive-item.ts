import type { StoredContent } from './stored-content.js';

/** A file in the simulated drive. Folders are implicit: they exist as paths, not as items. */
export interface DriveItem {
  id: string;
  driveId: string;
  name: string;
  /** Folder path from the root without slashes at either end; '' for a file in the root. */
  folder: string;
  content: StoredContent;
  mimeType: string;
  created: Date;
  modified: Date;
  /** Bumped on every replace, for the eTag. */
  version: number;
}

/** The driveItem resource as Graph returns it (the subset a client of uploads reads). */
export function driveItemJson(item: DriveItem): Record<string, unknown> {
  return {
    id: item.id,
    name: item.name,
    size: item.content.size,
    eTag: `"{${item.id}},${item.version}"`,
    createdDateTime: item.created.toISOString(),
    lastModifiedDateTime: item.modified.toISOString(),
    file: { mimeType: item.mimeType, hashes: { sha256Hash: item.content.sha256Hash } },
    parentReference: {
      driveType: 'business',
      driveId: item.driveId,
      path: item.folder === '' ? '/drive/root:' : `/drive/root:/${item.folder}`,
    },
  };
}

const MIME_TYPES: Record<string, string> = {
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  zip: 'application/zip',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

/** OneDrive derives the type from the extension, not from what the client claimed. */
export function mimeTypeFor(name: string): string {
  const extension = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  return MIME_TYPES[extension] ?? 'application/octet-stream';
}
