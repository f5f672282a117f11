import { invokeRemote, router, view } from '@forge/bridge';
import type { BootContext } from '../api/boot-context';
import { BootContextError } from '../api/boot-context-error';
import type { PageHost } from './page-host';
import { toForgeBootAnswer, toForgePageContext, type ForgeBootAnswer } from './to-forge-page-context';
import { toForgeFetch, type InvokeRemote } from './to-forge-fetch';

/** Bosun's route for a Forge page's first call (manifest.yml's `bosun-resolver` endpoint). */
const BOOT_PATH = '/forge/invoke';

const callRemote: InvokeRemote = (call) => invokeRemote(call);

const askBosun = async (): Promise<ForgeBootAnswer> => {
  const answer = await callRemote({ path: BOOT_PATH, method: 'POST', body: {} });
  const record = typeof answer === 'object' && answer !== null ? (answer as { status?: unknown; body?: unknown }) : {};
  if (record.status !== 200) {
    const message = typeof record.body === 'object' && record.body !== null ? (record.body as { error?: { message?: unknown } }).error?.message : undefined;
    throw new BootContextError(typeof message === 'string' ? message : `Bosun refused this Forge page (${String(record.status)})`);
  }
  return toForgeBootAnswer(record.body);
};

// One page load, one boot call: the entry and the page's boot share its answer.
let bootAnswer: Promise<ForgeBootAnswer> | null = null;

/**
 * Which Bosun page this Forge module is, as Bosun says from the FIT's module key (Forge serves one
 * index.html for every module: client/host/forge-entry.ts asks before loading a page).
 */
export const loadForgeBootAnswer = (): Promise<ForgeBootAnswer> => (bootAnswer ??= askBosun());

/**
 * Links leave a Custom UI frame through the product's router (Forge frames are sandboxed: a plain
 * `target="_top"` link may not navigate the product page). Pages keep their ordinary anchors.
 */
const routeLinks = (doc: Document): void => {
  doc.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const anchor = event.target instanceof Element ? event.target.closest('a[href]') : null;
    if (!(anchor instanceof HTMLAnchorElement)) return;
    const target = anchor.target;
    if (target !== '_top' && target !== '_blank' && target !== '_parent') return;
    event.preventDefault();
    void (target === '_blank' ? router.open(anchor.href) : router.navigate(anchor.href)).catch(() => undefined);
  });
};

/** The Forge door: @forge/bridge's view.getContext and invokeRemote; one boot call per page load. */
export const createForgePageHost = (): PageHost => {
  let boot: Promise<BootContext> | null = null;
  routeLinks(document);
  return {
    kind: 'forge',
    loadBootContext: (page) => {
      boot ??= (async () => {
        const [context, answer] = await Promise.all([view.getContext(), loadForgeBootAnswer()]);
        if (answer.page !== page) throw new BootContextError(`this is the ${page} page but Bosun says this Forge module is ${answer.page}`);
        // No Bosun session in Forge: every call carries the FIT Forge adds.
        return { token: 'forge', context: toForgePageContext(context, answer) };
      })();
      return boot;
    },
    fetch: toForgeFetch(callRemote),
    // Forge's hosting fits Custom UI frames to their content itself (unverified: the sandbox's
    // bridge script does so with a ResizeObserver, as Forge's does with iframe-resizer).
    watchContentSize: () => () => undefined,
  };
};
