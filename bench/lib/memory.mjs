// Peak memory per workload. The workloads are synchronous compute, so a timer on the main thread would
// not fire while they run: a worker thread samples the process RSS (process-wide) every few ms into
// shared memory. WASM / JS heaps are tracked by wrapping each backend heap's alloc to record the peak of
// bytes in use; the memory size (byteLength) only grows, so its value after a workload is its peak.
import { Worker } from 'node:worker_threads';

const SAMPLER = `
const { workerData } = require('node:worker_threads');
const peak = new Float64Array(workerData);
setInterval(() => {
  const rss = process.memoryUsage.rss();
  if (rss > peak[0]) peak[0] = rss;
}, 5);
`;

export class MemoryMeter {
  constructor() {
    this.sab = new SharedArrayBuffer(8);
    this.peak = new Float64Array(this.sab);
    this.worker = new Worker(SAMPLER, { eval: true, workerData: this.sab });
    this.worker.unref();
    this.heaps = new Map(); // Heap -> { peakInUse }
  }

  /** Start tracking a backend heap's bytes in use (idempotent). */
  track(name, heap) {
    if (this.heaps.has(heap)) return;
    const rec = { name, heap, peakInUse: heap.bytesInUse };
    this.heaps.set(heap, rec);
    const alloc = heap.alloc;
    heap.alloc = function (bytes) {
      const p = alloc.call(this, bytes);
      const used = this.bytesInUse;
      if (used > rec.peakInUse) rec.peakInUse = used;
      return p;
    };
  }

  /** Reset the peaks at the start of a workload. */
  reset() {
    const rss = process.memoryUsage.rss();
    this.peak[0] = rss;
    this.rssStart = rss;
    for (const rec of this.heaps.values()) {
      rec.peakInUse = rec.heap.bytesInUse;
      rec.startBytes = rec.heap.byteLength;
    }
  }

  /** Peaks since the last reset. */
  read() {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak[0]) this.peak[0] = rss;
    const heaps = {};
    for (const rec of this.heaps.values()) {
      heaps[rec.name] = {
        memoryBytes: rec.heap.byteLength,
        grewBytes: rec.heap.byteLength - (rec.startBytes ?? rec.heap.byteLength),
        peakInUseBytes: rec.peakInUse,
      };
    }
    return { rssStartBytes: this.rssStart, rssPeakBytes: this.peak[0], rssEndBytes: rss, heaps };
  }

  async close() {
    await this.worker.terminate();
  }
}
