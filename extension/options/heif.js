// The options page's way to HEIC/HEIF pixels: a worker running libheif (heif-worker.js), started
// the first time a person picks such a photo and kept for the next ones.

let worker;
let nextId = 0;
const waiting = new Map();

/** The primary image of a HEIF file's bytes as RGBA `{data, width, height}`, orientation applied. */
export function decodeHeif(bytes) {
  if (!worker) {
    worker = new Worker(new URL('heif-worker.js', import.meta.url));
    worker.onmessage = ({ data }) => {
      const { resolve, reject } = waiting.get(data.id);
      waiting.delete(data.id);
      if (data.error) reject(new Error(data.error));
      else resolve({ data: data.data, width: data.width, height: data.height });
    };
    // A worker that dies (out of memory on a huge photo) fails what it held; the next file starts anew.
    worker.onerror = (event) => {
      for (const { reject } of waiting.values()) reject(new Error(event.message));
      waiting.clear();
      worker.terminate();
      worker = undefined;
    };
  }
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    worker.postMessage({ id, bytes }, { transfer: [bytes] });
  });
}
