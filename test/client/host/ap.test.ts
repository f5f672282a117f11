import { afterEach, describe, expect, it, vi } from 'vitest';
import { getLocation, isInHost, resizeToContent, showMessage } from '../../../client/host/ap';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('host/ap outside Bitbucket', () => {
  it('does nothing and resolves to null when there is no window.AP', async () => {
    vi.spyOn(console, 'info').mockImplementation(() => undefined);
    expect(isInHost()).toBe(false);
    expect(() => resizeToContent()).not.toThrow();
    await expect(getLocation()).resolves.toBeNull();
    showMessage('info', 'Saved', 'All good');
    expect(console.info).toHaveBeenCalledWith('Saved: All good');
  });
});

describe('host/ap inside Bitbucket', () => {
  it('asks AP for the location', async () => {
    vi.stubGlobal('window', { AP: { getLocation: (callback: (location: string) => void) => callback('https://bitbucket.org/acme/web') } });
    expect(isInHost()).toBe(true);
    await expect(getLocation()).resolves.toBe('https://bitbucket.org/acme/web');
  });

  it('shows messages as flags when the host has them, else through AP.messages', () => {
    const create = vi.fn();
    vi.stubGlobal('window', { AP: { flag: { create } } });
    showMessage('error', 'Failed', 'Try again');
    expect(create).toHaveBeenCalledWith({ title: 'Failed', body: 'Try again', type: 'error' });

    const warning = vi.fn();
    vi.stubGlobal('window', { AP: { messages: { warning } } });
    showMessage('warning', 'Careful', 'Really?');
    expect(warning).toHaveBeenCalledWith('Careful', 'Really?');
  });

  it('resizes to the height of #root', () => {
    const resize = vi.fn();
    vi.stubGlobal('window', { AP: { resize }, scrollY: 0 });
    vi.stubGlobal('document', {
      getElementById: () => ({ getBoundingClientRect: () => ({ height: 321.4 }) }),
      body: null,
    });
    resizeToContent();
    expect(resize).toHaveBeenCalledWith('100%', '322px');
  });
});
