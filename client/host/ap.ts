/**
 * The only door to window.AP, the Connect iframe API that Bitbucket's all.js defines.
 * Every function is safe when AP is absent (the page opened outside Bitbucket, or all.js failed
 * to load): it does nothing, or resolves to null.
 * https://developer.atlassian.com/cloud/bitbucket/jsapi/ap
 */

export type MessageKind = 'info' | 'success' | 'warning' | 'error';

type MessageFn = (title: string, body: string) => void;
type Messages = Partial<Record<MessageKind, MessageFn>>;

/** The subset of all.js we use; everything optional because hosts differ in what they expose. */
interface ConnectHost {
  resize?: (width?: string, height?: string) => void;
  getLocation?: (callback: (location: string) => void) => void;
  flag?: { create?: (options: { title: string; body: string; type: MessageKind }) => void };
  messages?: Messages;
  require?: (module: 'messages', callback: (messages: Messages) => void) => void;
}

const getHost = (): ConnectHost | null => {
  if (typeof window === 'undefined') return null;
  const host: unknown = Reflect.get(window, 'AP');
  return typeof host === 'object' && host !== null ? (host as ConnectHost) : null;
};

/** True when the page runs inside a Bitbucket iframe with all.js loaded. */
export const isInHost = (): boolean => getHost() !== null;

/** Asks Bitbucket to fit the iframe to the content of #root (or the body). */
export const resizeToContent = (): void => {
  const host = getHost();
  if (!host?.resize) return;
  const content = document.getElementById('root') ?? document.body;
  const height = Math.ceil(content.getBoundingClientRect().height + window.scrollY);
  try {
    host.resize('100%', `${Math.max(height, 1)}px`);
  } catch {
    // A host that refuses the size keeps the old one; nothing to recover.
  }
};

/** The URL of the Bitbucket page around the iframe, or null outside Bitbucket. */
export const getLocation = (): Promise<string | null> => {
  const host = getHost();
  if (!host?.getLocation) return Promise.resolve(null);
  return new Promise((resolve) => {
    // all.js never calls back when the bridge is broken; do not hang callers forever.
    const timer = setTimeout(() => resolve(null), 2000);
    try {
      host.getLocation?.((location) => {
        clearTimeout(timer);
        resolve(typeof location === 'string' ? location : null);
      });
    } catch {
      clearTimeout(timer);
      resolve(null);
    }
  });
};

/** Shows a host message (a flag in Bitbucket); falls back to the console outside Bitbucket. */
export const showMessage = (kind: MessageKind, title: string, body: string): void => {
  const host = getHost();
  try {
    if (host?.flag?.create) {
      host.flag.create({ title, body, type: kind });
      return;
    }
    const direct = host?.messages?.[kind];
    if (direct) {
      direct(title, body);
      return;
    }
    if (host?.require) {
      host.require('messages', (messages) => messages[kind]?.(title, body));
      return;
    }
  } catch {
    // fall through to the console
  }
  const log = kind === 'error' ? console.error : kind === 'warning' ? console.warn : console.info;
  log(`${title}: ${body}`);
};

/**
 * Resizes the iframe whenever #root changes size, at most once per animation frame.
 * Returns a function that stops watching.
 */
export const watchContentSize = (element: HTMLElement): (() => void) => {
  if (!isInHost() || typeof ResizeObserver === 'undefined') return () => undefined;
  let frame: number | null = null;
  let lastHeight = -1;
  const schedule = (): void => {
    if (frame !== null) return;
    frame = requestAnimationFrame(() => {
      frame = null;
      const height = Math.ceil(element.getBoundingClientRect().height);
      // Before the first render #root is empty: keep Bitbucket's default size rather than collapse.
      if (height === 0 || height === lastHeight) return;
      lastHeight = height;
      resizeToContent();
    });
  };
  const observer = new ResizeObserver(schedule);
  observer.observe(element);
  schedule();
  return () => {
    observer.disconnect();
    if (frame !== null) cancelAnimationFrame(frame);
  };
};
