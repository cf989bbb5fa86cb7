/* global window, document */
/**
 * Intercom's loader, as its install snippet does it: `window.Intercom` queues calls until the
 * widget script has loaded and replays them. If `window.Intercom` is already there (the snippet
 * in your page, or @intercom/messenger-js-sdk), it is left alone.
 */
export function loadIntercom(appId) {
  if (typeof window.Intercom === 'function') return;
  const queue = function () {
    queue.q.push(arguments);
  };
  queue.q = [];
  window.Intercom = queue;
  const script = document.createElement('script');
  script.async = true;
  script.src = `https://widget.intercom.io/widget/${encodeURIComponent(appId)}`;
  document.head.appendChild(script);
}
