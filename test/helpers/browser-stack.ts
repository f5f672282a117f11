import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser';
import { startStack, type RunningStack, type StackOptions } from './start-stack';

export interface BrowserStack {
  readonly stack: RunningStack;
  readonly context: BrowserContext;
  readonly page: Page;
}

/**
 * For a browser test file: Bosun + the sandbox, and Chromium with one page, started before the
 * tests and closed after. `prepare` runs on the stack before the browser opens (seed extra data).
 */
export function useBrowserStack(options: StackOptions & { prepare?: (stack: RunningStack) => Promise<void> | void; height?: number } = {}): BrowserStack {
  let stack: RunningStack | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    stack = await startStack(options);
    await options.prepare?.(stack);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: options.height ?? 900 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started yet (use it inside a test)`);
    return value;
  };
  return {
    get stack() {
      return ready(stack, 'the stack');
    },
    get context() {
      return ready(context, 'the browser context');
    },
    get page() {
      return ready(page, 'the page');
    },
  };
}
