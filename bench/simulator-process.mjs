// The Graph simulator in a process of its own, for benchmarks that measure the client's memory alone.
import { startGraphSimulator } from '@graphwire/testing';

const graph = await startGraphSimulator({ keepUploadedContent: 0 });
process.send?.({ url: graph.url });
process.on('disconnect', () => void graph.close().then(() => process.exit(0)));
