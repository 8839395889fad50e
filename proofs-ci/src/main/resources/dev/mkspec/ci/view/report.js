// mkspec report: check filters and step-through traces. No external resources; works offline.
(function () {
  'use strict';
  document.body.classList.add('js');

  // Check table filters: area, tool, status.
  var filters = Array.prototype.slice.call(document.querySelectorAll('select.filter'));
  function applyFilters() {
    var rows = document.querySelectorAll('table.checks tbody tr');
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var ok = filters.every(function (f) {
        return !f.value || row.getAttribute('data-' + f.getAttribute('data-filter')) === f.value;
      });
      row.style.display = ok ? '' : 'none';
      if (ok) { shown++; }
    }
    var label = document.getElementById('shown');
    if (label) { label.textContent = shown + ' of ' + rows.length + ' shown'; }
  }
  filters.forEach(function (f) { f.addEventListener('change', applyFilters); });
  applyFilters();

  // Step-through traces.
  function stepsOf(section) { return parseInt(section.getAttribute('data-steps'), 10) || 0; }
  function currentOf(section) {
    var item = section.querySelector('.step-item.current');
    return item ? parseInt(item.getAttribute('data-step'), 10) : 0;
  }
  function show(section, i) {
    var n = stepsOf(section);
    if (n === 0) { return; }
    i = Math.max(0, Math.min(n - 1, i));
    var items = section.querySelectorAll('.step-item, .step-view');
    for (var k = 0; k < items.length; k++) {
      var el = items[k];
      el.classList.toggle('current', parseInt(el.getAttribute('data-step'), 10) === i);
    }
    var item = section.querySelector('.step-item.current');
    if (item && item.scrollIntoView) { item.scrollIntoView({block: 'nearest'}); }
    section.setAttribute('data-current', String(i));
  }
  window.mkspecShowStep = show;
  var sections = document.querySelectorAll('section.trace[data-steps]');
  for (var s = 0; s < sections.length; s++) {
    (function (section) {
      section.setAttribute('data-current', '0');
      section.addEventListener('click', function (ev) {
        var target = ev.target.closest('.step-item, .goto');
        if (target && target.hasAttribute('data-step')) {
          show(section, parseInt(target.getAttribute('data-step'), 10));
        }
        section.focus({preventScroll: true});
      });
      section.addEventListener('keydown', function (ev) {
        var i = currentOf(section);
        var n = stepsOf(section);
        var next = null;
        if (ev.key === 'ArrowRight' || ev.key === 'ArrowDown' || ev.key === 'j') { next = i + 1; }
        else if (ev.key === 'ArrowLeft' || ev.key === 'ArrowUp' || ev.key === 'k') { next = i - 1; }
        else if (ev.key === 'Home') { next = 0; }
        else if (ev.key === 'End') { next = n - 1; }
        if (next !== null) {
          ev.preventDefault();
          show(section, next);
        }
      });
    })(sections[s]);
  }

  // A link to #trace-... or #ID opens its details and focuses a trace.
  function followHash() {
    if (!location.hash) { return; }
    var id;
    try { id = decodeURIComponent(location.hash.substring(1)); } catch (e) { return; }
    var el = document.getElementById(id);
    if (!el) { return; }
    var d = el.closest('details');
    if (d) { d.open = true; }
    if (el.classList.contains('trace')) { el.focus({preventScroll: true}); }
  }
  window.addEventListener('hashchange', followHash);
  followHash();
})();
