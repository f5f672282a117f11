/**
 * The two halves of the sandbox's Custom UI bridge.
 *
 * @forge/bridge (node_modules/@forge/bridge/out/bridge.js) needs only `globalThis.__bridge.callBridge(name, payload)`
 * returning a promise; Forge's hosting defines it in the Custom UI frame before the app's scripts
 * run and carries each call to the product page around the frame. That hosting script and its
 * wire format are not public: everything below the `callBridge` contract is the sandbox's own
 * (unverified against Forge). The calls answered, and the shapes @forge/bridge reads back:
 *   getContext                          → FullContext (accountId, workspaceId, extension, moduleKey, siteUrl, …)
 *   invoke {invokeType:'ui-remote-fetch', path, method, headers, body}
 *                                       → {success, payload | error: {status, headers, body}} (invoke-endpoint.js)
 *   fetchRemote {remoteKey, fetchRequestInit, isMultipartFormData}
 *                                       → {status, statusText, headers, body: text} (fetch/fetch.js)
 *   navigate {url, type:'same-tab'|'new-tab'} · reload · showFlag · closeFlag · enableTheming ·
 *   emitReadyEvent · changeWindowTitle → undefined
 * Frame → page: {forgeBridge: 1, id, call, payload} | {forgeBridge: 1, resize: heightPx}
 * Page → frame: {forgeBridge: 1, id, ok: true, result} | {forgeBridge: 1, id, ok: false, error}
 * The frame posts only to its parent's origin (from document.referrer); the page answers only
 * frames it rendered (event.source), at their origin.
 */
export const FRAME_BRIDGE_JS = String.raw`(function () {
  var parentOrigin;
  try { parentOrigin = new URL(document.referrer).origin; } catch (e) { parentOrigin = null; }
  var nextId = 1, pending = {};
  window.addEventListener('message', function (e) {
    if (e.source !== window.parent || e.origin !== parentOrigin) return;
    var d = e.data || {};
    if (d.forgeBridge !== 1 || !pending[d.id]) return;
    var p = pending[d.id]; delete pending[d.id];
    if (d.ok) p.resolve(d.result); else p.reject(new Error(String(d.error || 'The bridge call failed')));
  });
  function callBridge(call, payload) {
    if (!parentOrigin) return Promise.reject(new Error('This Custom UI frame has no product page around it'));
    if (payload && typeof payload.callback === 'function') return Promise.reject(new Error('The sandbox bridge does not model ' + call + ' subscriptions'));
    return new Promise(function (resolve, reject) {
      var id = nextId++;
      pending[id] = { resolve: resolve, reject: reject };
      window.parent.postMessage({ forgeBridge: 1, id: id, call: String(call), payload: payload === undefined ? null : payload }, parentOrigin);
    });
  }
  window.__bridge = { callBridge: callBridge };
  var last = 0;
  function content() { return document.querySelector('#root') || document.body; }
  function measure() { var el = content(); return Math.ceil(Math.max(el.scrollHeight, el.getBoundingClientRect().height)); }
  function report() { var h = measure(); if (h > 0 && h !== last && parentOrigin) { last = h; window.parent.postMessage({ forgeBridge: 1, resize: h }, parentOrigin); } }
  function start() {
    report();
    if (!window.ResizeObserver) return;
    var observer = new ResizeObserver(report);
    observer.observe(content());
    // The app renders into #root after load; its children's growth is what changes the height.
    if (window.MutationObserver) new MutationObserver(function () { report(); Array.prototype.forEach.call(content().children, function (c) { observer.observe(c); }); }).observe(content(), { childList: true });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
`;

/** The product page's half: answers its Custom UI frames (iframe[data-forge-frame]), relaying remote calls to the sandbox. */
export const FORGE_HOST_JS = String.raw`(function () {
  function frames() { return Array.prototype.slice.call(document.querySelectorAll('iframe[data-forge-frame]')); }
  function contextOf(frame) { var el = document.getElementById('forge-context-' + frame.getAttribute('data-forge-frame')); return el ? JSON.parse(el.textContent) : null; }
  function banner(level, title, body) {
    var box = document.getElementById('ap-messages'); if (!box) return;
    var div = document.createElement('div'); div.className = 'banner banner-' + (level || 'info'); div.setAttribute('role', 'status');
    var strong = document.createElement('strong'); strong.textContent = title || ''; div.appendChild(strong);
    if (body) { var span = document.createElement('span'); span.textContent = ' ' + body; div.appendChild(span); }
    box.appendChild(div);
  }
  function relay(frame, kind, payload) {
    return fetch('/_forge/frames/' + encodeURIComponent(frame.getAttribute('data-forge-frame')) + '/' + kind, {
      method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload || {})
    }).then(function (res) { return res.json().then(function (json) { if (!res.ok) throw new Error((json && json.error) || ('The sandbox answered ' + res.status)); return json; }); });
  }
  function safeUrl(url) { var u = new URL(String(url), window.location.href); if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('Only http(s) URLs can be opened'); return u.href; }
  var calls = {
    getContext: function (frame) { return contextOf(frame); },
    invoke: function (frame, p) {
      if (!p || p.invokeType !== 'ui-remote-fetch') return Promise.reject(new Error('Bosun runs no Forge functions: only invokeRemote is answered'));
      return relay(frame, 'invoke', { path: p.path, method: p.method, headers: p.headers || {}, body: p.body })
        .then(function (r) { return { success: r.status < 400, payload: r.status < 400 ? r : undefined, error: r.status < 400 ? undefined : r }; });
    },
    fetchRemote: function (frame, p) {
      var init = (p && p.fetchRequestInit) || {};
      return relay(frame, 'fetch', { remoteKey: p && p.remoteKey, path: init.path, method: init.method || 'GET', headers: init.headers || [], body: init.body == null ? null : String(init.body) });
    },
    navigate: function (frame, p) { var url = safeUrl(p && p.url); if (p && p.type === 'new-tab') window.open(url, '_blank', 'noopener'); else window.location.assign(url); },
    reload: function () { window.location.reload(); },
    showFlag: function (frame, p) { banner(p && p.type, p && p.title, p && p.description); },
    closeFlag: function () {}, enableTheming: function () {}, emitReadyEvent: function () {}, changeWindowTitle: function () {}
  };
  window.addEventListener('message', function (e) {
    var d = e.data || {};
    if (d.forgeBridge !== 1) return;
    var frame = frames().filter(function (f) { return f.contentWindow === e.source; })[0];
    if (!frame || e.origin !== frame.getAttribute('data-forge-origin')) return;
    if (typeof d.resize === 'number') { frame.style.height = Math.max(40, Math.min(d.resize, 5000)) + 'px'; return; }
    var answer = function (ok, value) { e.source.postMessage(ok ? { forgeBridge: 1, id: d.id, ok: true, result: value } : { forgeBridge: 1, id: d.id, ok: false, error: String(value && value.message || value) }, e.origin); };
    var handler = Object.prototype.hasOwnProperty.call(calls, d.call) ? calls[d.call] : null;
    if (!handler) { answer(false, 'The sandbox does not model the bridge call ' + d.call); return; }
    Promise.resolve().then(function () { return handler(frame, d.payload); }).then(function (v) { answer(true, v); }, function (err) { answer(false, err); });
  });
})();
`;
