// Instant filtering and search for the alignment tree. Without this script the page still
// works: the form filters on the server. The rule is the same as service/treeview.py: a node
// shows when it matches every filter or when something below it does (then dimmed, as context).
(function () {
  'use strict';

  function ready(fn) {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', fn);
    } else {
      fn();
    }
  }

  ready(function () {
    var form = document.getElementById('filters');
    var tree = document.getElementById('tree');
    if (!form || !tree) {
      return;
    }
    var fields = {
      q: document.getElementById('q'),
      team: document.getElementById('team'),
      status: document.getElementById('status'),
      owner: document.getElementById('owner'),
    };
    var count = document.getElementById('count');
    var nodes = Array.prototype.slice.call(tree.querySelectorAll('li.node'));
    var total = nodes.filter(function (n) { return n.hasAttribute('data-team'); }).length;

    nodes.forEach(function (node) {
      var details = node.querySelector(':scope > details');
      if (details) {
        var depth = Number(node.getAttribute('data-depth'));
        var marker = node.classList.contains('marker-node');
        details.setAttribute('data-default-open', depth < 1 || marker ? '1' : '0');
      }
    });

    function children(node) {
      return node.querySelectorAll(':scope > details > ul > li.node');
    }

    function current() {
      return {
        q: fields.q.value.trim().toLowerCase(),
        team: fields.team.value,
        status: fields.status.value,
        owner: fields.owner.value.toLowerCase(),
      };
    }

    function matches(node, f) {
      if (!node.hasAttribute('data-team')) {
        return false;
      }
      if (f.team && node.getAttribute('data-team') !== f.team) return false;
      if (f.status && node.getAttribute('data-status') !== f.status) return false;
      if (f.owner && node.getAttribute('data-owner') !== f.owner) return false;
      return !f.q || node.getAttribute('data-text').indexOf(f.q) !== -1;
    }

    function apply() {
      var f = current();
      var active = Boolean(f.q || f.team || f.status || f.owner);
      var found = 0;
      var below = new Map();
      // Children come after their parents in document order, so walk backwards.
      for (var i = nodes.length - 1; i >= 0; i--) {
        var node = nodes[i];
        var hits = 0;
        children(node).forEach(function (child) { hits += below.get(child) || 0; });
        var own = active && matches(node, f) ? 1 : 0;
        var details = node.querySelector(':scope > details');
        if (!active) {
          node.hidden = false;
          node.classList.remove('context');
          if (details) details.open = details.getAttribute('data-default-open') === '1';
          continue;
        }
        node.hidden = !(own || hits);
        node.classList.toggle('context', !own);
        if (details) details.open = hits > 0;
        below.set(node, own + hits);
        found += own;
      }
      count.textContent = active ? found + ' of ' + total + ' items match' : total + ' items';
      var params = new URLSearchParams();
      Object.keys(f).forEach(function (key) {
        var value = fields[key].value.trim();
        if (value) params.set(key, value);
      });
      var query = params.toString();
      history.replaceState(null, '', location.pathname + (query ? '?' + query : ''));
    }

    var timer = null;
    fields.q.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(apply, 80);
    });
    ['team', 'status', 'owner'].forEach(function (key) {
      fields[key].addEventListener('change', apply);
    });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      apply();
    });
    var clear = form.querySelector('a.clear');
    clear.addEventListener('click', function (event) {
      event.preventDefault();
      Object.keys(fields).forEach(function (key) { fields[key].value = ''; });
      apply();
    });

    function openAll(open) {
      tree.querySelectorAll('details').forEach(function (details) {
        if (!details.closest('li.node').hidden) details.open = open;
      });
    }
    var tools = form.querySelector('.tools');
    tools.hidden = false;
    form.querySelector('.apply').hidden = true;
    document.getElementById('expand-all').addEventListener('click', function () { openAll(true); });
    document.getElementById('collapse-all').addEventListener('click', function () { openAll(false); });
  });
})();
