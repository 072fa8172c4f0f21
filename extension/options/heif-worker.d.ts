// What the classic worker heif-worker.js has that tsconfig's DOM library does not declare: the
// worker's importScripts, and npm libheif-js's factory (vendor/libheif/libheif.js, by the build).
declare function importScripts(...urls: string[]): void;

interface LibheifImage {
  is_primary(): boolean;
  get_width(): number;
  get_height(): number;
  /** Decodes into `target` (RGBA), transforms applied; calls back with it, or null on failure. */
  display(target: { data: Uint8ClampedArray; width: number; height: number }, done: (decoded: { data: Uint8ClampedArray; width: number; height: number } | null) => void): void;
  free(): void;
}

/** libheif instantiated from its wasm's bytes (synchronously, which a worker may do). */
declare function libheif(options: { wasmBinary: ArrayBuffer }): { HeifDecoder: new () => { decode(bytes: Uint8Array): LibheifImage[] } };
