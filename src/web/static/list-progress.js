// Follows lists being cleansed without reloading the page (a timed reload loses a screen reader's
// place, WCAG 2.2.1): every element with data-progress-url is polled, its progress bar and figures
// updated in place, and its status line (a polite live region) changed only when the status does.
(function () {
  'use strict';
  var POLL_MS = 2000;
  var MISSES_BEFORE_GIVING_UP = 5; // a busy server or a dropped connection is retried, slower each time
  var nodes = document.querySelectorAll('[data-progress-url]');
  if (nodes.length === 0) return;
  var note = document.querySelector('[data-progress-note]');
  if (note) note.textContent = 'This page updates as the work goes on.';

  function statusText(view) {
    if (view.status === 'queued') return 'Waiting for a worker…';
    if (view.status === 'running') return 'Cleansing…';
    if (view.status === 'completed') return 'Done: ' + view.counts.kept.toLocaleString('en-US') + ' kept of ' + view.counts.rowsIn.toLocaleString('en-US') + ' rows.';
    if (view.status === 'failed') return 'Failed: ' + (view.error || 'no reason given') + '.';
    return view.status;
  }

  function follow(node) {
    var bar = node.querySelector('progress');
    var figures = node.querySelector('[data-progress-text]');
    var status = node.querySelector('[data-progress-status]');
    var last = status.textContent;
    var misses = 0;
    function poll() {
      fetch(node.getAttribute('data-progress-url'), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (res) {
          if (!res.ok) throw { status: res.status };
          return res.json();
        })
        .then(function (view) {
          misses = 0;
          bar.value = view.progress.percent;
          bar.textContent = view.progress.percent + '%';
          figures.textContent = view.progress.percent + '%, ' + view.progress.rowsProcessed.toLocaleString('en-US') + ' rows';
          var text = statusText(view);
          var finished = view.status === 'completed' || view.status === 'failed';
          if (text !== last) {
            last = text;
            status.textContent = text + ' ';
            if (finished) {
              var link = document.createElement('a');
              link.className = 'usa-link';
              link.href = node.getAttribute('data-list-href');
              link.textContent = view.status === 'completed' ? 'See the processing summary' : 'See why';
              status.appendChild(link);
            }
          }
          if (!finished) setTimeout(poll, POLL_MS);
        })
        .catch(function (problem) {
          // Signed out or the list gone: stop at once. A busy server or a lost connection: try again
          // a few times, waiting longer each time. Either way the Refresh link still works.
          var status = problem && problem.status;
          var final = status === 401 || status === 403 || status === 404;
          misses++;
          if (!final && misses < MISSES_BEFORE_GIVING_UP) {
            setTimeout(poll, POLL_MS * Math.pow(2, misses));
            return;
          }
          if (note) note.textContent = 'Updates stopped; refresh the page to see the latest figures.';
        });
    }
    setTimeout(poll, POLL_MS);
  }

  for (var i = 0; i < nodes.length; i++) follow(nodes[i]);
})();
