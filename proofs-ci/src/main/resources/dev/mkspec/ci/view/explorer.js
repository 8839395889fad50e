// mkspec explorer page: walks the Java model through the server's /api. No external resources.
(function () {
  'use strict';
  var info = null;     // /api/model
  var trail = [];      // [{id, label}]
  var current = null;  // /api/state of the last trail entry

  function $(id) { return document.getElementById(id); }
  function say(text, isError) {
    var m = $('message');
    m.textContent = text;
    m.className = isError ? 'error' : '';
  }
  function api(path, options) {
    return fetch(path, options).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) { throw new Error(body.error || ('HTTP ' + r.status)); }
        return body;
      });
    });
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function renderTrail() {
    var ol = $('trail');
    ol.innerHTML = '';
    trail.forEach(function (s, i) {
      var li = el('li', {'class': 'step-item' + (i === trail.length - 1 ? ' current' : ''), 'data-step': String(i), 'data-state': String(s.id)});
      li.appendChild(el('span', {'class': 'num'}, String(i)));
      li.appendChild(document.createTextNode(' '));
      li.appendChild(el('span', {'class': 'action'}, s.label));
      li.addEventListener('click', function () { trail = trail.slice(0, i + 1); refresh(); });
      ol.appendChild(li);
    });
  }

  function renderInitial() {
    var ul = $('enabled');
    ul.innerHTML = '';
    info.initial.forEach(function (id, k) {
      var li = el('li');
      var b = el('button', {'class': 'take', 'type': 'button', 'data-label': 'Init', 'data-to': String(id)},
        'Init (initial state ' + (k + 1) + ' of ' + info.initial.length + ')');
      b.addEventListener('click', function () { trail = [{id: id, label: 'Init'}]; refresh(); });
      li.appendChild(b);
      ul.appendChild(li);
    });
    $('state-title').textContent = 'Choose an initial state';
    $('picture').innerHTML = '';
    $('tree').innerHTML = '';
    $('invariants').innerHTML = '';
  }

  var asked = 0;      // the latest state asked for: an older answer that arrives late is dropped
  function refresh() {
    renderTrail();
    var ticket = ++asked;
    if (trail.length === 0) { renderInitial(); return Promise.resolve(); }
    var last = trail[trail.length - 1];
    var prev = trail.length > 1 ? '&prev=' + trail[trail.length - 2].id : '';
    return api('/api/state?id=' + last.id + prev).then(function (st) {
      if (ticket !== asked) { return; }
      current = st;
      $('state-title').textContent = 'State ' + (trail.length - 1) + (trail.length > 1 ? ' after ' + last.label : ' (initial)');
      $('picture').innerHTML = st.picture || '';
      $('tree').innerHTML = st.tree;
      var inv = $('invariants');
      inv.innerHTML = '';
      st.invariants.forEach(function (i) {
        var text = (i.id ? i.id + ' ' : '') + i.name;
        if (i.holds === null) { text += ' cannot be evaluated here: ' + i.error; }
        else if (!i.holds) { text += ' is FALSE here' + (i.conjunct ? ', in the conjunct ' + i.conjunct : ''); }
        inv.appendChild(el('li', {'class': i.holds === null ? 'unknown' : (i.holds ? 'holds' : 'fails'), 'data-name': i.name}, text));
      });
      var ul = $('enabled');
      ul.innerHTML = '';
      if (st.enabled.length === 0) { ul.appendChild(el('li', {'class': 'none'}, 'no action is enabled: a deadlock')); }
      st.enabled.forEach(function (a) {
        var broken = (a.properties || []).filter(function (p) { return p.holds === false; }).map(function (p) { return p.name; });
        var li = el('li');
        var b = el('button', {'class': 'take' + (broken.length ? ' breaks' : ''), 'type': 'button', 'data-label': a.label, 'data-to': String(a.to)},
          a.label + (broken.length ? '  (breaks ' + broken.join(', ') + ')' : ''));
        b.addEventListener('click', function () { trail.push({id: a.to, label: a.label}); refresh(); });
        li.appendChild(b);
        ul.appendChild(li);
      });
    }).catch(function (e) { say(e.message, true); });
  }

  function renderWhyForm() {
    var sel = $('why-action');
    sel.innerHTML = '';
    if (!info.schemas.length) {
      $('why-form').style.display = 'none';
      $('why-result').textContent = info.model + ' does not name its guards.';
      return;
    }
    info.schemas.forEach(function (s, i) { sel.appendChild(el('option', {'value': String(i)}, s.name)); });
    function params() {
      var box = $('why-params');
      box.innerHTML = '';
      info.schemas[parseInt(sel.value, 10)].params.forEach(function (p) {
        var ps = el('select', {'class': 'why-param', 'title': p.name, 'data-param': p.name});
        p.values.forEach(function (v) { ps.appendChild(el('option', {'value': v}, p.name + ' = ' + v)); });
        box.appendChild(ps);
      });
    }
    sel.addEventListener('change', params);
    params();
  }

  function why() {
    if (trail.length === 0) { say('choose an initial state first', true); return; }
    var schema = info.schemas[parseInt($('why-action').value, 10)];
    var q = '/api/why?id=' + trail[trail.length - 1].id + '&action=' + encodeURIComponent(schema.name);
    Array.prototype.forEach.call(document.querySelectorAll('#why-params select'), function (s) {
      q += '&arg=' + encodeURIComponent(s.value);
    });
    api(q).then(function (r) {
      var box = $('why-result');
      box.innerHTML = '';
      box.appendChild(el('p', {'class': r.enabled ? 'enabled' : 'disabled'}, r.message));
      var ul = el('ul');
      r.guards.forEach(function (g) { ul.appendChild(el('li', {'class': g.holds ? 'true' : 'false'}, g.name)); });
      box.appendChild(ul);
    }).catch(function (e) { say(e.message, true); });
  }

  function loadTrace(result) {
    if (!result.steps.length) {
      // Not even its first state is one of the model's: keep the walk shown (at start, the initial states).
      say(result.message, true);
      refresh();
      return;
    }
    trail = result.steps.map(function (s) { return {id: s.id, label: s.label}; });
    say(result.replayed ? 'loaded: ' + result.message : 'loaded up to the first step the model cannot take: ' + result.message, !result.replayed);
    refresh();
  }

  $('back').addEventListener('click', function () { if (trail.length > 0) { trail.pop(); refresh(); } });
  $('restart').addEventListener('click', function () { trail = []; refresh(); say(''); });
  $('why').addEventListener('click', why);
  $('save').addEventListener('click', function () {
    if (trail.length === 0) { say('nothing to save yet: choose an initial state', true); return; }
    api('/api/save', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({steps: trail})}).then(function (r) {
      say('saved to ' + r.path + ' - replay it with: ' + r.replay);
    }).catch(function (e) { say(e.message, true); });
  });
  $('load').addEventListener('change', function (ev) {
    var f = ev.target.files[0];
    if (!f) { return; }
    f.text().then(function (text) {
      return api('/api/load', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: text});
    }).then(loadTrace).catch(function (e) { say(e.message, true); });
    ev.target.value = '';
  });
  document.addEventListener('keydown', function (ev) {
    if (ev.target.tagName === 'SELECT' || ev.target.tagName === 'INPUT') { return; }
    if ((ev.key === 'ArrowLeft' || ev.key === 'k') && trail.length > 0) { ev.preventDefault(); trail.pop(); refresh(); }
  });

  api('/api/model').then(function (m) {
    info = m;
    $('model-name').textContent = m.model;
    $('config').textContent = m.config;
    renderWhyForm();
    if (m.trace) { loadTrace(m.trace); } else { refresh(); }
    document.body.setAttribute('data-ready', 'true');
  }).catch(function (e) { say(e.message, true); });
})();
