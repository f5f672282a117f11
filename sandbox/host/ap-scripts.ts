/**
 * The all.js shim (inside app iframes) and the host page script, talking over postMessage.
 * Protocol: every message is {ap: 1, op, ...}.
 *   iframe → host: {op:'resize', width?, height?} | {op:'sizeToParent'} | {op:'getLocation', id}
 *                  | {op:'message', level:'info'|'success'|'warning'|'error', title, body}
 *   host → iframe: {op:'getLocation:result', id, href}
 * The iframe posts to the origin in its own `xdm_e` query parameter; the host only accepts
 * messages whose event.source is one of its iframes.
 */
export const ALL_JS = String.raw`(function () {
  var params = new URLSearchParams(window.location.search);
  var hostOrigin = params.get('xdm_e') || '*';
  var channel = params.get('xdm_c') || window.name;
  var nextId = 1, pending = {};
  function send(msg) { msg.ap = 1; msg.channel = channel; window.parent.postMessage(msg, hostOrigin); }
  window.addEventListener('message', function (e) {
    if (hostOrigin !== '*' && e.origin !== hostOrigin) return;
    var d = e.data || {};
    if (d.ap !== 1) return;
    if (d.op === 'getLocation:result' && pending[d.id]) { pending[d.id](d.href); delete pending[d.id]; }
  });
  function measure() {
    var el = document.querySelector('.ac-content') || document.body;
    return Math.ceil(Math.max(el.scrollHeight, el.getBoundingClientRect().height, document.documentElement.scrollHeight));
  }
  function messages(level) { return function (title, body) { send({ op: 'message', level: level, title: String(title || ''), body: String(body || '') }); }; }
  var modules = { messages: { info: messages('info'), success: messages('success'), warning: messages('warning'), error: messages('error'), generic: messages('info') } };
  var AP = {
    resize: function (width, height) { send({ op: 'resize', width: width == null ? undefined : String(width), height: height == null ? String(measure()) + 'px' : String(height) }); },
    sizeToParent: function () { send({ op: 'sizeToParent' }); },
    getLocation: function (cb) { var id = nextId++; pending[id] = cb; send({ op: 'getLocation', id: id }); },
    require: function (names, cb) {
      var list = Array.isArray(names) ? names : [names];
      var mods = list.map(function (n) { return modules[n]; });
      if (cb) cb.apply(null, mods);
      return mods[0];
    },
    messages: modules.messages
  };
  window.AP = AP;
  var last = 0;
  function autoResize() { var h = measure(); if (h !== last) { last = h; AP.resize(); } }
  function start() {
    autoResize();
    if (window.ResizeObserver) new ResizeObserver(autoResize).observe(document.querySelector('.ac-content') || document.body);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
`;

export const HOST_JS = String.raw`(function () {
  function frames() { return Array.prototype.slice.call(document.querySelectorAll('iframe[data-connect-iframe]')); }
  function banner(level, title, body) {
    var box = document.getElementById('ap-messages'); if (!box) return;
    var div = document.createElement('div'); div.className = 'banner banner-' + level; div.setAttribute('role', 'status');
    var strong = document.createElement('strong'); strong.textContent = title; div.appendChild(strong);
    if (body) { var span = document.createElement('span'); span.textContent = ' ' + body; div.appendChild(span); }
    box.appendChild(div);
  }
  window.addEventListener('message', function (e) {
    var d = e.data || {};
    if (d.ap !== 1) return;
    var frame = frames().filter(function (f) { return f.contentWindow === e.source; })[0];
    if (!frame) return;
    if (d.op === 'resize') {
      if (d.height) frame.style.height = /^\d+$/.test(d.height) ? d.height + 'px' : d.height;
      if (d.width) frame.style.width = /^\d+$/.test(d.width) ? d.width + 'px' : d.width;
    } else if (d.op === 'sizeToParent') {
      frame.style.width = '100%'; frame.style.height = (frame.parentElement ? frame.parentElement.clientHeight || window.innerHeight - 120 : 600) + 'px';
    } else if (d.op === 'getLocation') {
      e.source.postMessage({ ap: 1, op: 'getLocation:result', id: d.id, href: window.location.href }, e.origin);
    } else if (d.op === 'message') {
      banner(d.level, d.title, d.body);
    }
  });
})();
`;
