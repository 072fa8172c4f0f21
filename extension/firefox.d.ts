// What Firefox adds to the WebExtension APIs that Veil uses and @types/chrome does not describe.

interface StreamFilter {
  ondata: (event: { data: ArrayBuffer }) => void;
  onstop: () => void;
  onerror: () => void;
  write(data: ArrayBuffer | Uint8Array): void;
  close(): void;
  disconnect(): void;
}

interface FirefoxWebRequest {
  filterResponseData(requestId: string): StreamFilter;
  onBeforeRequest: {
    addListener(
      listener: (details: { requestId: string; tabId: number; frameId: number; url: string; type: string }) => object | void,
      filter: { urls: string[]; types?: string[] },
      extraInfo?: string[],
    ): void;
  };
}

declare var browser: { webRequest?: FirefoxWebRequest } | undefined;
