// The tree page refreshes itself after a sync: it asks the service, every little while, when
// the last sync was (GET /api/synced, which reads no spreadsheet) and reloads when that
// changed, keeping the filters in the address. Polling pauses while the tab is hidden.
(function () {
  'use strict';

  var main = document.getElementById('page');
  if (!main || !window.fetch) {
    return;
  }
  var shown = main.getAttribute('data-synced');
  var url = main.getAttribute('data-poll');
  var seconds = Number(main.getAttribute('data-poll-seconds')) || 30;

  function check() {
    if (document.hidden) {
      return;
    }
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (body && body.synced_at && body.synced_at !== shown) {
          location.reload();
        }
      })
      .catch(function () { /* the service is restarting; try again next time */ });
  }

  setInterval(check, seconds * 1000);
  document.addEventListener('visibilitychange', check);
})();
