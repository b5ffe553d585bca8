import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isGraphError } from '@graphwire/core';
import type { GraphSimulator } from '@graphwire/testing';
import { connect, simulator } from './support.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const fast = { retries: { backoffBase: 20, backoffLimit: 50 } };

/** Deterministic pseudo-random bytes, produced in 64 KiB chunks: never all in memory. */
async function* generated(size: number, seed = 1): AsyncGenerator<Uint8Array> {
  let x = seed;
  for (let sent = 0; sent < size; ) {
    const chunk = new Uint8Array(Math.min(64 * KiB, size - sent));
    const words = new Uint32Array(chunk.buffer, 0, chunk.length >>> 2);
    for (let i = 0; i < words.length; i++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      words[i] = x >>> 0;
    }
    sent += chunk.length;
    yield chunk;
  }
}

async function sha256Of(source: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of source) hash.update(chunk);
  return hash.digest('hex');
}

const bytesOf = (size: number) => Uint8Array.from({ length: size }, (_, i) => (i * 31 + 7) % 251);
const hexOf = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const uploads = (graph: GraphSimulator) => graph.stats.log.filter((r) => r.path.startsWith('/upload/'));
/** Session DELETEs go out in the background after a failure: wait for them to arrive. */
async function eventually(check: () => boolean, ms = 3000): Promise<void> {
  for (const until = Date.now() + ms; !check(); ) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
const sha = (item: Record<string, unknown>) => String((item.file as { hashes: { sha256Hash: string } }).hashes.sha256Hash).toLowerCase();

describe('con.upload', () => {
  it('uploads in slices to a drive path: the token goes to createUploadSession, never to the upload URL', async () => {
    const graph = await simulator();
    const con = connect(graph);
    const data = bytesOf(5 * MiB + 123);
    const progress: Array<[number, number]> = [];
    const item = await con.upload('me/drive/root:/reports/q3.pdf:', data, { chunkSize: 320 * KiB * 5, onProgress: (done, total) => progress.push([done, total]) });
    expect(item).toMatchObject({ name: 'q3.pdf', size: data.length });
    expect(sha(item)).toBe(hexOf(data));
    const create = graph.stats.log.find((r) => r.path.endsWith(':/createUploadSession'))!;
    expect(create).toMatchObject({ method: 'POST', path: '/v1.0/me/drive/root:/reports/q3.pdf:/createUploadSession', authorized: true });
    expect(uploads(graph).map((r) => r.method)).toEqual(['PUT', 'PUT', 'PUT', 'PUT']);
    expect(uploads(graph).every((r) => r.headers.authorization === undefined)).toBe(true);
    expect(uploads(graph).map((r) => r.headers['content-range'])).toEqual([
      `bytes 0-1638399/${data.length}`, `bytes 1638400-3276799/${data.length}`, `bytes 3276800-4915199/${data.length}`, `bytes 4915200-${data.length - 1}/${data.length}`,
    ]);
    expect(progress.at(-1)).toEqual([data.length, data.length]);
    expect(progress.map(([done]) => done)).toEqual([1638400, 3276800, 4915200, data.length]);
    expect(graph.stats.uploadFragments).toBe(4);
    // The default conflict behaviour replaces: a second upload of the same path gives 200 and the new bytes.
    const again = await con.upload('me/drive/root:/reports/q3.pdf:', new Blob([bytesOf(5 * MiB)]));
    expect(again).toMatchObject({ size: 5 * MiB });
    const sessions = graph.stats.log.filter((r) => r.path.endsWith('createUploadSession'));
    expect(sessions).toHaveLength(2);
  });

  it('sends a small file (≤ 4 MiB) as one authenticated PUT to :/content', async () => {
    const graph = await simulator();
    const con = connect(graph);
    const data = bytesOf(300 * KiB);
    const item = await con.upload('me/drive/root:/small/notes.bin:', data, { conflictBehavior: 'fail' });
    expect(item).toMatchObject({ name: 'notes.bin', size: data.length });
    expect(graph.stats.log.map((r) => `${r.method} ${r.path}`)).toEqual(['PUT /v1.0/me/drive/root:/small/notes.bin:/content']);
    expect(graph.stats.log[0]!.query['@microsoft.graph.conflictBehavior']).toBe('fail');
    const content = await con.get('me/drive/root:/small/notes.bin:/content').arrayBuffer();
    expect(new Uint8Array(content)).toEqual(data);
  });

  it('200 MiB from an async iterable, one connection cut before a slice was committed and one after: exact bytes, constant memory', async () => {
    const graph = await simulator();
    const con = connect(graph, fast);
    const size = 200 * MiB;
    // Slice 3 is cut before commit (sent again), slice 6 after commit (never sent twice), then normal.
    graph.script('PUT /upload/*', [{}, {}, { reset: true }, {}, {}, {}, { reset: true, execute: true }]);
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 5);
    let item: Record<string, unknown>;
    try {
      item = await con.upload('me/drive/root:/big/200.bin:', generated(size), { size });
    } finally {
      clearInterval(sampler);
    }
    expect(item).toMatchObject({ name: '200.bin', size });
    expect(sha(item)).toBe(await sha256Of(generated(size)));
    const puts = uploads(graph).filter((r) => r.method === 'PUT').map((r) => r.headers['content-range']!.split(/[ -]/)[1]);
    const starts = [...new Set(puts)];
    expect(starts).toHaveLength(20); // 20 slices of 10 MiB
    expect(puts.filter((s) => s === String(2 * 10 * MiB))).toHaveLength(2); // the dropped slice went twice
    expect(puts.filter((s) => s === String(5 * 10 * MiB))).toHaveLength(1); // the committed one once
    expect(uploads(graph).filter((r) => r.method === 'GET')).toHaveLength(2); // a status query after each cut
    expect(uploads(graph).every((r) => r.headers.authorization === undefined)).toBe(true);
    expect(graph.stats.uploadFragments).toBe(20);
    const growth = (peak - before) / MiB;
    expect(growth).toBeLessThan(100); // the file is 200 MiB; two slices are 20 MiB
  }, 120_000);

  it('resumes after a lost response to the last slice by asking the session, then the drive', async () => {
    const graph = await simulator();
    const con = connect(graph, fast);
    const data = bytesOf(1600 * KiB * 3); // above the 4 MiB simple-upload limit: 3 slices
    graph.script('PUT /upload/*', [{}, {}, { reset: true, execute: true }]);
    const item = await con.upload('me/drive/root:/lost/last.bin:', data, { chunkSize: 1600 * KiB });
    expect(item).toMatchObject({ name: 'last.bin', size: data.length });
    expect(sha(item)).toBe(hexOf(data));
    const trail = graph.stats.log.map((r) => `${r.method} ${r.path.startsWith('/upload/') ? '/upload' : r.path}`);
    expect(trail.slice(-3)).toEqual(['PUT /upload', 'GET /upload', 'GET /v1.0/me/drive/root:/lost/last.bin']);
  });

  it('continues an existing session from { uploadUrl } where the server stands, also from a stream', async () => {
    const graph = await simulator();
    const con = connect(graph, fast);
    const data = bytesOf(320 * KiB * 4);
    for (const [name, source] of [['r.bin', data], ['s.bin', (async function* () { for (let i = 0; i < data.length; i += 100_000) yield data.subarray(i, i + 100_000); })()]] as const) {
      const { uploadUrl } = await con.post(`me/drive/root:/resume/${name}:/createUploadSession`, { body: {} }).json<{ uploadUrl: string }>();
      // Another process sent the first two slices, then died.
      await fetch(uploadUrl, { method: 'PUT', headers: { 'content-range': `bytes 0-655359/${data.length}` }, body: data.subarray(0, 655360) });
      const seen = graph.stats.log.length;
      const progress: number[] = [];
      const item = await con.upload({ uploadUrl }, source, { chunkSize: 320 * KiB, size: data.length, onProgress: (done) => progress.push(done) });
      expect(item).toMatchObject({ name, size: data.length });
      expect(sha(item)).toBe(hexOf(data));
      const trail = graph.stats.log.slice(seen).map((r) => `${r.method} ${r.status} ${r.headers['content-range'] ?? ''}`.trim());
      expect(trail).toEqual(['GET 200', `PUT 202 bytes 655360-983039/${data.length}`, `PUT 201 bytes 983040-1310719/${data.length}`]);
      expect(progress).toEqual([655360, 983040, 1310720]);
    }
  });

  it('a 416 (bytes the server already has) is answered by asking the session, not by re-sending', async () => {
    const graph = await simulator();
    const con = connect(graph, fast);
    const data = bytesOf(1600 * KiB * 3);
    graph.script('PUT /upload/*', [{}, { status: 416 }]);
    const item = await con.upload('me/drive/root:/r/416.bin:', data, { chunkSize: 1600 * KiB });
    expect(sha(item)).toBe(hexOf(data));
    expect(uploads(graph).map((r) => `${r.method} ${r.status}`)).toEqual(['PUT 202', 'PUT 416', 'GET 200', 'PUT 202', 'PUT 201']);
  });

  it('a slice answered 503 with Retry-After is not re-sent blindly: the session is asked first', async () => {
    const graph = await simulator();
    const con = connect(graph, fast);
    const data = bytesOf(2560 * KiB * 2);
    graph.script('PUT /upload/*', [{ status: 503, retryAfter: 1 }]);
    const started = Date.now();
    await con.upload('me/drive/root:/r/503.bin:', data, { chunkSize: 2560 * KiB });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(uploads(graph).map((r) => `${r.method} ${r.status}`)).toEqual(['PUT 503', 'GET 200', 'PUT 202', 'PUT 201']);
  });

  it('an abort stops the upload, deletes its session and rejects with the reason', async () => {
    const graph = await simulator({ latencyMs: 20 });
    const con = connect(graph);
    const controller = new AbortController();
    const reason = new Error('stop');
    const running = con.upload('me/drive/root:/abort/a.bin:', generated(50 * MiB), {
      size: 50 * MiB,
      chunkSize: 320 * KiB,
      signal: controller.signal,
      onProgress: (done) => { if (done >= 640 * KiB) controller.abort(reason); },
    });
    await expect(running).rejects.toBe(reason);
    await eventually(() => uploads(graph).at(-1)?.method === 'DELETE');
    const last = uploads(graph).at(-1)!;
    expect(last.method).toBe('DELETE');
    expect(last.headers.authorization).toBeUndefined();
    expect(uploads(graph).filter((r) => r.method === 'PUT').length).toBeLessThan(5);
  });

  it('a caller deadline (AbortSignal.timeout) rejects with its TimeoutError, unretried, and the session is deleted', async () => {
    const graph = await simulator({ latencyMs: 100 });
    const con = connect(graph);
    const signal = AbortSignal.timeout(250); // during the first slices (each answer takes 100 ms)
    const error = await con.upload('me/drive/root:/deadline/d.bin:', generated(20 * MiB), { size: 20 * MiB, chunkSize: 320 * KiB, signal })
      .then(() => undefined, (e: unknown) => e);
    expect(error).toBe(signal.reason);
    expect((error as DOMException).name).toBe('TimeoutError');
    // The session is deleted in the background (without the spent signal).
    await eventually(() => uploads(graph).at(-1)?.method === 'DELETE');
    expect(uploads(graph).filter((r) => r.method === 'GET')).toHaveLength(0); // nothing was treated as a failed slice
  });

  it('never takes an older file of the same size for its own after a lost last slice, nor a renamed one', async () => {
    const graph = await simulator();
    const con = connect(graph, fast);
    const old = bytesOf(1600 * KiB * 3);
    await con.upload('me/drive/root:/same/size.bin:', old, { chunkSize: 1600 * KiB });
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the server's Date has whole seconds
    const fresh = old.map((b) => 255 - b);
    // The last slice is cut before the commit, and the session then looks gone.
    graph.script('PUT /upload/*', [{}, {}, { reset: true }]);
    graph.script('GET /upload/*', [{ status: 404 }]);
    await expect(con.upload('me/drive/root:/same/size.bin:', fresh, { chunkSize: 1600 * KiB })).rejects.toThrow();
    const item = await con.get('me/drive/root:/same/size.bin').json<Record<string, unknown>>();
    expect(sha(item)).toBe(hexOf(old)); // untouched, and not reported as the new upload
    // 'rename' writes elsewhere: a lost last response cannot be confirmed from the original path.
    graph.script('PUT /upload/*', [{}, {}, { reset: true, execute: true }]);
    await expect(con.upload('me/drive/root:/same/size.bin:', fresh, { chunkSize: 1600 * KiB, conflictBehavior: 'rename' })).rejects.toThrow();
  });

  it('a session that keeps asking for the same bytes is given up after the retry limit', async () => {
    const graph = await simulator();
    const con = connect(graph, { retries: { limit: 2 } });
    const stuck = { status: 202, body: '{"nextExpectedRanges":["0-"]}', contentType: 'application/json', execute: false };
    graph.script('PUT /upload/*', [stuck, stuck, stuck, stuck]);
    await expect(con.upload('me/drive/root:/stuck/s.bin:', bytesOf(1600 * KiB * 3), { chunkSize: 1600 * KiB }))
      .rejects.toThrow('[@graphwire/core] upload: the session took bytes 0-1638399 3 times but still expects bytes from 0');
    expect(uploads(graph).filter((r) => r.method === 'PUT')).toHaveLength(3);
  });

  it('raiseHttpErrors: false on the connection changes nothing: errors are errors, recoveries recover', async () => {
    const graph = await simulator();
    const con = connect(graph, { ...fast, raiseHttpErrors: false });
    graph.script('PUT /upload/*', [{ status: 503, retryAfter: 0 }]);
    const data = bytesOf(2560 * KiB * 2);
    expect(sha(await con.upload('me/drive/root:/r/raise.bin:', data, { chunkSize: 2560 * KiB }))).toBe(hexOf(data));
    expect(uploads(graph).map((r) => `${r.method} ${r.status}`)).toEqual(['PUT 503', 'GET 200', 'PUT 202', 'PUT 201']);
    const conflict = await con.upload('me/drive/root:/r/raise.bin:', bytesOf(10), { conflictBehavior: 'fail' }).catch((e: unknown) => e);
    expect(isGraphError(conflict) && conflict.status).toBe(409);
  });

  it('an abort while the stream stalls rejects at once and deletes the session', async () => {
    const graph = await simulator();
    const con = connect(graph);
    const controller = new AbortController();
    async function* stalls() {
      yield new Uint8Array(320 * KiB);
      await new Promise(() => undefined); // never delivers again
    }
    const running = con.upload('me/drive/root:/stall/s.bin:', stalls(), { size: 8 * MiB, chunkSize: 640 * KiB, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stalled')), 200);
    await expect(running).rejects.toThrow('stalled');
    await eventually(() => uploads(graph).at(-1)?.method === 'DELETE');
  });

  it('a stream that is shorter or longer than `size` fails without creating a truncated file, and its session is deleted', async () => {
    const graph = await simulator();
    const con = connect(graph);
    const short = con.upload('me/drive/root:/bad/short.bin:', generated(5 * MiB), { size: 6 * MiB, chunkSize: 320 * KiB * 10 });
    await expect(short).rejects.toThrow("[@graphwire/core] upload: the data ended after 5242880 bytes, but option 'size' is 6291456");
    const long = con.upload('me/drive/root:/bad/long.bin:', generated(7 * MiB), { size: 6 * MiB, chunkSize: 320 * KiB * 10 });
    await expect(long).rejects.toThrow("[@graphwire/core] upload: the data is longer than option 'size'");
    await eventually(() => uploads(graph).filter((r) => r.method === 'DELETE').length === 2);
    await expect(con.get('me/drive/root:/bad/long.bin:').json()).rejects.toSatisfy((e) => isGraphError(e) && e.status === 404);
  });

  it('refuses bad input with a TypeError naming the option', async () => {
    const graph = await simulator();
    const con = connect(graph);
    const refused = (target: unknown, data: unknown, options?: unknown) =>
      con.upload(target as string, data as Uint8Array, options as never).then(() => undefined, (e: unknown) => e as Error);
    const checks: Array<[Promise<Error | undefined>, RegExp]> = [
      [refused('me/drive/root:/x.bin', bytesOf(10)), /a drive path target ends with ':'/],
      [refused('me/drive/root:/x.bin:', bytesOf(10), { chunkSize: 1000 }), /option 'chunkSize' must be a multiple of 327680/],
      [refused('me/drive/root:/x.bin:', bytesOf(10), { chunkSize: 320 * KiB * 200 }), /option 'chunkSize' must be a multiple of 327680 \(320 KiB\) up to 62914560/],
      [refused('me/drive/root:/x.bin:', generated(10)), /option 'size' is required when data is a stream/],
      [refused('me/drive/root:/x.bin:', bytesOf(10), { size: 11 }), /option 'size' is 11 but the data has 10 bytes/],
      [refused('me/drive/root:/x.bin:', 'text'), /data must be a Blob, Uint8Array/],
      [refused('me/drive/root:/x.bin:', bytesOf(10), { conflictBehaviour: 'fail' }), /unknown option 'conflictBehaviour' \(did you mean 'conflictBehavior'\?\)/],
      [refused({ uploadUrl: 'http://uploads.example.com/s?tempauth=secret' }, bytesOf(10)), /uploadUrl must be an absolute https URL/],
      [refused({ uploadUrl: `${graph.url}/upload/x`, url: 1 }, bytesOf(10)), /upload target: unknown option 'url'/],
    ];
    for (const [promise, message] of checks) {
      const error = await promise;
      expect(error).toBeInstanceOf(TypeError);
      expect(error!.message).toMatch(/^\[@graphwire\/core\] upload/);
      expect(error!.message).toMatch(message);
      expect(error!.message).not.toContain('secret');
    }
    expect(graph.stats.requests).toBe(0);
  });
});
