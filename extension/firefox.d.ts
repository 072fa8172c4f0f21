// What Firefox adds to the WebExtension APIs that Veil uses and @types/chrome does not describe.

interface StreamFilter {
  ondata: (event: { data: ArrayBuffer }) => void;
  onstop: () => void;
  onerror: () => void;
  write(data: ArrayBuffer | Uint8Array): void;
  close(): void;
  disconnect(): void;
}

interface FirefoxRequestDetails {
  requestId: string;
  tabId: number;
  frameId: number;
  url: string;
  type: string;
  statusCode?: number;
  responseHeaders?: { name: string; value?: string }[];
  documentUrl?: string;
  frameAncestors?: { url: string; frameId: number }[];
}

interface FirefoxRequestEvent {
  addListener(
    listener: (details: FirefoxRequestDetails) => object | void,
    filter: { urls: string[]; types?: string[] },
    extraInfo?: string[],
  ): void;
}

interface FirefoxWebRequest {
  filterResponseData(requestId: string): StreamFilter;
  onBeforeRequest: FirefoxRequestEvent;
  onHeadersReceived: FirefoxRequestEvent;
  onErrorOccurred: FirefoxRequestEvent;
}

declare var browser: { webRequest?: FirefoxWebRequest } | undefined;

// Firefox's consent to data collection (manifest `data_collection_permissions`), asked for and
// checked through chrome.permissions.
declare namespace chrome.permissions {
  interface Permissions {
    data_collection?: string[];
  }
}
