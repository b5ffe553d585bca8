import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { type GraphSimulator } from '@graphwire/testing';
import { auth, simulator, useSharedSimulator } from './support.js';

// Plain fetch over real sockets: these tests pin the simulator's drive and upload-session behaviour.
const SLICE = 320 * 1024;

interface SessionJson {
  uploadUrl: string;
  expirationDateTime: string;
  nextExpectedRanges: string[];
}
interface DriveItemJson {
  id: string;
  name: string;
  size: number;
  file: { mimeType: string; hashes: { sha256Hash: string } };
  parentReference: { path: string; driveId: string };
}

let sim!: GraphSimulator;
useSharedSimulator((started) => (sim = started));

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex').toUpperCase();

async function createSession(path: string, body?: unknown, target: GraphSimulator = sim): Promise<Response> {
  return fetch(`${target.url}/v1.0/me/drive/root:/${path}:/createUploadSession`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function session(path: string, body?: unknown, target: GraphSimulator = sim): Promise<SessionJson> {
  const response = await createSession(path, body, target);
  expect(response.status).toBe(200);
  return (await response.json()) as SessionJson;
}

function putFragment(uploadUrl: string, file: Uint8Array, start: number, end: number, headers: Record<string, string> = {}) {
  return fetch(uploadUrl, {
    method: 'PUT',
    headers: { 'content-range': `bytes ${start}-${end - 1}/${file.length}`, ...headers },
    body: file.subarray(start, end) as Uint8Array<ArrayBuffer>,
  });
}

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

function simplePut(path: string, body: Uint8Array<ArrayBuffer> | string, query = '', target: GraphSimulator = sim) {
  return fetch(`${target.url}/v1.0/me/drive/root:/${path}:/content${query}`, { method: 'PUT', headers: auth, body });
}

describe('upload sessions', () => {
  it('commits fragments in order: 202s, then 201 with the driveItem and its sha256', async () => {
    const file = randomBytes(3 * SLICE + 1000);
    const created = await session('reports/q3.pdf');
    expect(created.nextExpectedRanges).toEqual(['0-']);
    expect(Date.parse(created.expirationDateTime)).toBeGreaterThan(Date.now());
    expect(created.uploadUrl).toMatch(new RegExp(`^${sim.url}/upload/sessions/[^/?]+\\?tempauth=[\\w-]+$`));

    const ranges = [];
    for (let start = 0; start < 3 * SLICE; start += SLICE) {
      const response = await putFragment(created.uploadUrl, file, start, start + SLICE);
      expect(response.status).toBe(202);
      ranges.push(((await response.json()) as SessionJson).nextExpectedRanges[0]);
    }
    expect(ranges).toEqual([`${SLICE}-`, `${2 * SLICE}-`, `${3 * SLICE}-`]);
    const last = await putFragment(created.uploadUrl, file, 3 * SLICE, file.length);
    expect(last.status).toBe(201);
    const item = (await last.json()) as DriveItemJson;
    expect(item).toMatchObject({
      name: 'q3.pdf',
      size: file.length,
      file: { mimeType: 'application/pdf', hashes: { sha256Hash: sha256(file) } },
      parentReference: { path: '/drive/root:/reports' },
    });

    // The item is now in the drive, by path (with or without the closing colon), by id, and as content.
    for (const path of ['me/drive/root:/reports/q3.pdf', 'me/drive/root:/Reports/Q3.pdf:', `me/drive/items/${item.id}`, 'users/user-1/drive/root:/reports/q3.pdf', 'drives/drive-user-1/root:/reports/q3.pdf:']) {
      const response = await fetch(`${sim.url}/v1.0/${path}`, { headers: auth });
      expect(response.status, path).toBe(200);
      expect(((await response.json()) as DriveItemJson).id).toBe(item.id);
    }
    const content = await fetch(`${sim.url}/v1.0/me/drive/root:/reports/q3.pdf:/content`, { headers: auth });
    expect(content.headers.get('content-type')).toBe('application/pdf');
    expect(sha256(new Uint8Array(await content.arrayBuffer()))).toBe(sha256(file));
    expect(sim.stats).toMatchObject({ uploadSessions: 1, uploadFragments: 4 });

    // The completed session is gone.
    expect((await fetch(created.uploadUrl)).status).toBe(404);
  });

  it('reports progress on GET, and cancels on DELETE', async () => {
    const file = randomBytes(2 * SLICE);
    const { uploadUrl } = await session('a.bin');
    await putFragment(uploadUrl, file, 0, SLICE);
    const status = await fetch(uploadUrl);
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ nextExpectedRanges: [`${SLICE}-`], expirationDateTime: expect.any(String) });
    expect((await fetch(uploadUrl, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(uploadUrl)).status).toBe(404);
    const put = await putFragment(uploadUrl, file, SLICE, 2 * SLICE);
    expect(put.status).toBe(404);
    expect(await errorCode(put)).toBe('itemNotFound');
    expect(sim.stats.log.filter((r) => r.method === 'DELETE').map((r) => r.status)).toEqual([204]);
    expect((await fetch(`${sim.url}/v1.0/me/drive/root:/a.bin`, { headers: auth })).status).toBe(404);
  });

  it('answers a repeated or skipping fragment with 416 invalidRange', async () => {
    const file = randomBytes(3 * SLICE);
    const { uploadUrl } = await session('r.bin');
    expect((await putFragment(uploadUrl, file, 0, SLICE)).status).toBe(202);
    const repeated = await putFragment(uploadUrl, file, 0, SLICE);
    expect(repeated.status).toBe(416);
    expect(await errorCode(repeated)).toBe('invalidRange');
    expect((await putFragment(uploadUrl, file, 2 * SLICE, 3 * SLICE)).status).toBe(416);
    expect(((await (await fetch(uploadUrl)).json()) as SessionJson).nextExpectedRanges).toEqual([`${SLICE}-`]);
    expect(sim.stats.uploadFragments).toBe(1);
  });

  it('refuses malformed fragments with 400 and oversized ones with 413', async () => {
    const file = randomBytes(2 * SLICE);
    const { uploadUrl } = await session('bad.bin');
    const statuses = [
      (await fetch(uploadUrl, { method: 'PUT', body: file.subarray(0, SLICE) })).status,
      (await putFragment(uploadUrl, file, 0, SLICE, { 'content-range': 'bytes 0-10' })).status,
      (await putFragment(uploadUrl, file, 0, SLICE, { 'content-range': `bytes 0-${SLICE}/${file.length}` })).status,
      // Not a multiple of 320 KiB, and not the last fragment.
      (await putFragment(uploadUrl, file, 0, 1000)).status,
    ];
    expect(statuses).toEqual([400, 400, 400, 400]);
    expect((await putFragment(uploadUrl, file, 0, SLICE)).status).toBe(202);
    const otherTotal = await fetch(uploadUrl, { method: 'PUT', headers: { 'content-range': `bytes ${SLICE}-${2 * SLICE - 1}/${3 * SLICE}` }, body: file.subarray(SLICE) as Uint8Array<ArrayBuffer> });
    expect(otherTotal.status).toBe(400);
    expect(await errorCode(otherTotal)).toBe('invalidRequest');

    // Over 60 MiB: refused from the headers, before any of the body is read.
    const status = await new Promise<number>((resolve, reject) => {
      const size = 60 * 1024 * 1024 + 1;
      const req = httpRequest(uploadUrl, { method: 'PUT', headers: { 'content-range': `bytes ${SLICE}-${SLICE + size - 1}/${SLICE + size}`, 'content-length': size } });
      req.on('response', (res) => (resolve(res.statusCode ?? 0), req.destroy()));
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(status).toBe(413);
  });

  it('takes fragments of any size with uploadFragmentMultiple: 1', async () => {
    const loose = await simulator({ uploadFragmentMultiple: 1 });
    const file = randomBytes(2500);
    const { uploadUrl } = await session('loose.txt', undefined, loose);
    expect((await putFragment(uploadUrl, file, 0, 1000)).status).toBe(202);
    const done = await putFragment(uploadUrl, file, 1000, 2500);
    expect(done.status).toBe(201);
    expect(((await done.json()) as DriveItemJson).file).toEqual({ mimeType: 'text/plain', hashes: { sha256Hash: sha256(file) } });
  });

  it('keeps only size and hash of files over keepUploadedContent', async () => {
    const small = await simulator({ keepUploadedContent: SLICE });
    const file = randomBytes(3 * SLICE);
    const { uploadUrl } = await session('big.bin', undefined, small);
    for (let start = 0; start < file.length; start += SLICE) await putFragment(uploadUrl, file, start, start + SLICE);
    const item = (await (await fetch(`${small.url}/v1.0/me/drive/root:/big.bin`, { headers: auth })).json()) as DriveItemJson;
    expect(item).toMatchObject({ size: file.length, file: { hashes: { sha256Hash: sha256(file) } } });
    const content = await fetch(`${small.url}/v1.0/me/drive/root:/big.bin:/content`, { headers: auth });
    expect(content.status).toBe(410);
    expect(await errorCode(content)).toBe('contentNotKept');
  });
});

describe('upload URL authentication', () => {
  it('refuses an Authorization header with 401, and records it', async () => {
    const file = randomBytes(SLICE);
    const { uploadUrl } = await session('auth.bin');
    const response = await putFragment(uploadUrl, file, 0, SLICE, auth);
    expect(response.status).toBe(401);
    expect(sim.stats.log.at(-1)).toMatchObject({ path: expect.stringMatching(/^\/upload\/sessions\//), authorized: true, status: 401 });
    expect(sim.stats.uploadFragments).toBe(0);
    expect((await putFragment(uploadUrl, file, 0, SLICE)).status).toBe(201);
  });

  it('refuses a wrong or missing tempauth with 401', async () => {
    const { uploadUrl } = await session('t.bin');
    const url = new URL(uploadUrl);
    url.searchParams.set('tempauth', 'forged');
    expect((await fetch(url)).status).toBe(401);
    url.search = '';
    expect((await fetch(url)).status).toBe(401);
  });
});

describe('scripted faults per slice', () => {
  const path = 'PUT /upload/sessions/*';

  it('reset without execute cuts the connection before anything is committed', async () => {
    const file = randomBytes(2 * SLICE);
    const { uploadUrl } = await session('cut.bin');
    sim.script(path, [{ reset: true }]);
    await expect(putFragment(uploadUrl, file, 0, SLICE)).rejects.toThrow();
    expect(((await (await fetch(uploadUrl)).json()) as SessionJson).nextExpectedRanges).toEqual(['0-']);
    expect(sim.stats.uploadFragments).toBe(0);
  });

  it('reset with execute commits the whole fragment, then cuts the connection', async () => {
    const file = randomBytes(2 * SLICE);
    const { uploadUrl } = await session('lost.bin');
    sim.script(path, [{ reset: true, execute: true }]);
    await expect(putFragment(uploadUrl, file, 0, SLICE)).rejects.toThrow();
    expect(((await (await fetch(uploadUrl)).json()) as SessionJson).nextExpectedRanges).toEqual([`${SLICE}-`]);
    // A client that resends the lost slice learns from 416 (or GET) where to resume.
    expect((await putFragment(uploadUrl, file, 0, SLICE)).status).toBe(416);
    expect((await putFragment(uploadUrl, file, SLICE, 2 * SLICE)).status).toBe(201);
  });

  it('a 503 refuses the slice without committing it', async () => {
    const file = randomBytes(SLICE);
    const { uploadUrl } = await session('busy.bin');
    sim.script(path, [{ status: 503, retryAfter: 1 }]);
    const refused = await putFragment(uploadUrl, file, 0, SLICE);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((await putFragment(uploadUrl, file, 0, SLICE)).status).toBe(201);
  });

  it('[{}, { reset, execute }] passes the first slice and cuts the second after committing it', async () => {
    const file = randomBytes(3 * SLICE);
    const { uploadUrl } = await session('second.bin');
    sim.script(path, [{}, { reset: true, execute: true }]);
    expect((await putFragment(uploadUrl, file, 0, SLICE)).status).toBe(202);
    await expect(putFragment(uploadUrl, file, SLICE, 2 * SLICE)).rejects.toThrow();
    expect(sim.stats.uploadFragments).toBe(2);
    const done = await putFragment(uploadUrl, file, 2 * SLICE, 3 * SLICE);
    expect(done.status).toBe(201);
    expect(((await done.json()) as DriveItemJson).file.hashes.sha256Hash).toBe(sha256(file));
  });
});

describe('conflict behaviour', () => {
  it("defaults to Graph's documented 'fail': 409 nameAlreadyExists at session creation", async () => {
    expect((await simplePut('c/exists.txt', 'old')).status).toBe(201);
    const refused = await createSession('c/exists.txt');
    expect(refused.status).toBe(409);
    expect(await errorCode(refused)).toBe('nameAlreadyExists');
    expect((await createSession('c/exists.txt', { item: { '@microsoft.graph.conflictBehavior': 'fail' } })).status).toBe(409);
    expect((await createSession('c/exists.txt', { item: { '@microsoft.graph.conflictBehavior': 'overwrite' } })).status).toBe(400);
  });

  it("'fail' refuses at completion too when the file appeared during the upload", async () => {
    const { uploadUrl } = await session('c/race.txt');
    await simplePut('c/race.txt', 'sneaked in');
    const response = await putFragment(uploadUrl, Buffer.from('mine'), 0, 4);
    expect(response.status).toBe(409);
    expect((await fetch(uploadUrl)).status).toBe(404);
  });

  it("'replace' keeps the item id and answers 200; 'rename' creates 'name 1.ext'", async () => {
    const original = (await (await simplePut('c/doc.txt', 'v1')).json()) as DriveItemJson;
    const replace = await session('c/doc.txt', { item: { '@microsoft.graph.conflictBehavior': 'replace' } });
    const replaced = await putFragment(replace.uploadUrl, Buffer.from('version 2'), 0, 9);
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toMatchObject({ id: original.id, size: 9 });

    const rename = await session('c/doc.txt', { item: { '@microsoft.graph.conflictBehavior': 'rename' } });
    const renamed = await putFragment(rename.uploadUrl, Buffer.from('copy'), 0, 4);
    expect(renamed.status).toBe(201);
    expect(await renamed.json()).toMatchObject({ name: 'doc 1.txt', size: 4 });
  });
});

describe('simple upload and drive items', () => {
  it('PUT …:/content creates (201), replaces (200) and serves the bytes', async () => {
    const created = await simplePut('notes/hello.txt', 'hello');
    expect(created.status).toBe(201);
    const item = (await created.json()) as DriveItemJson;
    expect(item).toMatchObject({ name: 'hello.txt', size: 5, file: { mimeType: 'text/plain', hashes: { sha256Hash: sha256(Buffer.from('hello')) } } });
    const replaced = await simplePut('notes/hello.txt', 'hello again');
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toMatchObject({ id: item.id, size: 11 });
    expect(await (await fetch(`${sim.url}/v1.0/me/drive/items/${item.id}/content`, { headers: auth })).text()).toBe('hello again');
    expect((await simplePut('notes/hello.txt', 'x', '?@microsoft.graph.conflictBehavior=fail')).status).toBe(409);
  });

  it('refuses a simple upload over 4 MiB with 413', async () => {
    const response = await simplePut('huge.bin', new Uint8Array(4 * 1024 * 1024 + 1));
    expect(response.status).toBe(413);
    expect((await simplePut('max.bin', new Uint8Array(4 * 1024 * 1024))).status).toBe(201);
  });

  it('answers missing items with 404 itemNotFound and deletes items', async () => {
    const missing = await fetch(`${sim.url}/v1.0/me/drive/root:/nope.txt`, { headers: auth });
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe('itemNotFound');
    expect((await createSession('x.txt', undefined)).status).toBe(200);
    await simplePut('gone.txt', 'x');
    expect((await fetch(`${sim.url}/v1.0/me/drive/root:/gone.txt`, { method: 'DELETE', headers: auth })).status).toBe(204);
    expect((await fetch(`${sim.url}/v1.0/me/drive/root:/gone.txt:/content`, { headers: auth })).status).toBe(404);
  });

  it('needs a bearer for drive routes but not for the upload URL, and forgets everything on reset', async () => {
    expect((await fetch(`${sim.url}/v1.0/me/drive/root:/a.txt:/createUploadSession`, { method: 'POST' })).status).toBe(401);
    const { uploadUrl } = await session('a.txt');
    await simplePut('b.txt', 'b');
    sim.reset();
    expect((await fetch(uploadUrl)).status).toBe(404);
    expect((await fetch(`${sim.url}/v1.0/me/drive/root:/b.txt`, { headers: auth })).status).toBe(404);
    expect(sim.stats).toMatchObject({ uploadSessions: 0, uploadFragments: 0 });
  });
});
