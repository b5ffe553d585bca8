// One upload-memory measurement in a fresh process (so runs do not pollute each other's RSS):
//   node --expose-gc bench/upload-memory.mjs <kind> <simulator url> <MiB>
// kinds: graphwire-stream, graphwire-stream-live, graphwire-blob, fetch-slices (a hand-written loop
// of Blob slices), fetch-stream-slices (the zero-copy floor: the same stream piped into fetch)
// Prints one JSON line: peak RSS and ArrayBuffer growth over the run, in MiB. `graphwire-stream-live`
// collects garbage after every confirmed slice and reports the bytes still alive then (what the
// upload holds), instead of what the garbage collector has not yet freed.
import { Connection, StaticTokenSession } from '@graphwire/core';

const [kind, url, mib] = process.argv.slice(2);
const MiB = 1024 * 1024;
const SLICE = 10 * MiB;
const size = Number(mib) * MiB;

/** A stream as a file read would give it: a fresh 64 KiB chunk each time. */
async function* source() {
  for (let sent = 0; sent < size; sent += 64 * 1024) yield new Uint8Array(Math.min(64 * 1024, size - sent)).fill(sent % 251);
}

const con = new Connection({ baseUrl: `${url}/v1.0`, session: new StaticTokenSession('bench') });
const blob = kind === 'graphwire-blob' || kind === 'fetch-slices' ? new Blob([new Uint8Array(size)]) : undefined;
globalThis.gc?.();
const start = process.memoryUsage();
let rss = start.rss;
let arrayBuffers = start.arrayBuffers;
const sampler = setInterval(() => {
  const now = process.memoryUsage();
  rss = Math.max(rss, now.rss);
  arrayBuffers = Math.max(arrayBuffers, now.arrayBuffers);
}, 2);
const began = performance.now();
let liveMiB;
if (kind === 'graphwire-stream') await con.upload('me/drive/root:/bench/stream.bin:', source(), { size });
else if (kind === 'graphwire-stream-live') {
  let live = 0;
  await con.upload('me/drive/root:/bench/live.bin:', source(), {
    size,
    onProgress: () => { globalThis.gc(); live = Math.max(live, process.memoryUsage().arrayBuffers - start.arrayBuffers); },
  });
  liveMiB = Math.round(live / MiB);
}
else if (kind === 'graphwire-blob') await con.upload('me/drive/root:/bench/blob.bin:', blob);
else if (kind === 'fetch-slices') {
  // What a hand-written loop does: fetch each 10 MiB slice of the same Blob to the upload URL.
  const { uploadUrl } = await con.post('me/drive/root:/bench/fetch.bin:/createUploadSession', { body: {} }).json();
  for (let at = 0; at < size; at += SLICE) {
    const end = Math.min(at + SLICE, size);
    const response = await fetch(uploadUrl, { method: 'PUT', headers: { 'content-range': `bytes ${at}-${end - 1}/${size}` }, body: blob.slice(at, end) });
    await response.arrayBuffer();
  }
} else if (kind === 'fetch-stream-slices') {
  // The zero-copy baseline: each slice streamed from the same source straight into fetch
  // (Node only: duplex 'half' with an explicit Content-Length), no buffer of ours at all.
  const { uploadUrl } = await con.post('me/drive/root:/bench/zero-copy.bin:/createUploadSession', { body: {} }).json();
  const chunks = source()[Symbol.asyncIterator]();
  for (let at = 0; at < size; at += SLICE) {
    const end = Math.min(at + SLICE, size);
    let sent = at;
    const body = new ReadableStream({
      async pull(controller) {
        if (sent >= end) return controller.close();
        const { value } = await chunks.next();
        controller.enqueue(value);
        sent += value.length;
      },
    });
    const headers = { 'content-length': String(end - at), 'content-range': `bytes ${at}-${end - 1}/${size}` };
    await (await fetch(uploadUrl, { method: 'PUT', duplex: 'half', headers, body })).arrayBuffer();
  }
} else throw new Error(`unknown kind ${kind}`);
const wallMs = performance.now() - began;
clearInterval(sampler);
await con.close();
console.log(JSON.stringify({ kind, peakRssGrowthMiB: Math.round((rss - start.rss) / MiB), arrayBufferGrowthMiB: Math.round((arrayBuffers - start.arrayBuffers) / MiB), wallMs: Math.round(wallMs), ...(liveMiB === undefined ? {} : { liveMiB }) }));
