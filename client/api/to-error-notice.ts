import { ApiError } from './api-error';
import { BootContextError } from './boot-context-error';

/** What the UI shows for a failure: the SectionMessage appearance, title and body. */
export interface ErrorNotice {
  appearance: 'error' | 'warning';
  title: string;
  body: string;
}

/** Turns anything thrown while loading a page into a message a person can act on. */
export const toErrorNotice = (error: unknown): ErrorNotice => {
  if (error instanceof BootContextError) {
    return {
      appearance: 'error',
      title: 'Open this page from Bitbucket',
      body: `Bosun could not start here: ${error.message}.`,
    };
  }
  if (error instanceof ApiError) {
    if (error.status === 401) {
      return { appearance: 'warning', title: 'Your session expired, reload the page', body: error.message };
    }
    if (error.status === 0) {
      return {
        appearance: 'error',
        title: 'Bosun is unreachable',
        body: `${error.message}. Check your connection and reload the page.`,
      };
    }
    if (error.status === 403) {
      return { appearance: 'warning', title: 'You do not have access to this', body: error.message };
    }
    if (error.status === 404) {
      return { appearance: 'warning', title: 'Not found', body: error.message };
    }
    // What was entered (too long, malformed): the page itself is fine, so say what to change, plainly.
    if (error.status === 400 || error.status === 413) {
      return { appearance: 'warning', title: 'Bosun could not use what was entered', body: error.message };
    }
    return { appearance: 'error', title: 'Bosun could not load this page', body: `${error.message} (${error.code}, HTTP ${error.status})` };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { appearance: 'error', title: 'Something went wrong', body: message };
};
