// The LabLoop console: one page, four views (campaigns, one campaign, instruments, events),
// drawn from the daemon's JSON API and kept live by its event stream. No build step: plain
// browser JavaScript and ECharts from the daemon's own jar.
'use strict';

const state = { session: { signedIn: false }, view: null, stream: null, charts: [], timers: [] };

// ---------------------------------------------------------------------------------------------
// helpers

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.substring(2), v);
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function fmt(v) {
  if (v === null || v === undefined) return '–';
  if (typeof v !== 'number') return String(v);
  if (!isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e6) return String(Number(v.toPrecision(4)));
  return v.toExponential(3);
}

function fmtPoint(p) {
  if (!p) return '–';
  return Object.entries(p).map(([k, v]) => k + '=' + fmt(v)).join(', ');
}

function when(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return d.toLocaleString();
}

function duration(seconds) {
  if (!isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 90) return Math.round(seconds) + ' s';
  if (seconds < 5400) return Math.round(seconds / 60) + ' min';
  if (seconds < 172800) return (seconds / 3600).toFixed(1) + ' h';
  return (seconds / 86400).toFixed(1) + ' d';
}

function badge(status) {
  return el('span', { class: 'badge s-' + status, 'data-status': status }, status);
}

function notice(message, ok, problems) {
  const n = document.getElementById('notice');
  n.replaceChildren(el('span', {}, message));
  if (problems && problems.length) n.append(el('ul', { class: 'problems', id: 'problems' }, problems.map(p => el('li', {}, p))));
  n.className = 'notice' + (ok ? ' ok' : '');
  n.hidden = false;
  if (ok) setTimeout(() => { if (n.className === 'notice ok') n.hidden = true; }, 4000);
}

function clearNotice() {
  document.getElementById('notice').hidden = true;
}

/** One request to the daemon; a refused one throws an Error carrying the problem's detail and list. */
async function api(method, url, body, contentType) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET' && state.session.csrf) headers['X-LabLoop-CSRF'] = state.session.csrf;
  let payload;
  if (body !== undefined) {
    if (typeof body === 'string') { payload = body; headers['Content-Type'] = contentType || 'text/plain'; }
    else { payload = JSON.stringify(body); headers['Content-Type'] = 'application/json'; }
  }
  const r = await fetch(url, { method, headers, body: payload, credentials: 'same-origin' });
  if (r.status === 204) return null;
  const text = await r.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = text; }
  if (!r.ok) {
    const err = new Error((data && data.detail) || (data && data.title) || ('HTTP ' + r.status));
    err.status = r.status;
    err.problems = (data && data.problems) || [];
    throw err;
  }
  return data;
}

/** A change from a button: refused changes tell the person why (sign in, CSRF, state). */
async function change(what, method, url, body, contentType) {
  try {
    const result = await api(method, url, body, contentType);
    notice(what + ': done', true);
    return result;
  } catch (e) {
    const hint = e.status === 401 && !state.session.signedIn ? ' — sign in (top right) to make changes' : '';
    notice(what + ' refused: ' + e.message + hint, false, e.problems);
    throw e;
  }
}

function disposeCharts() {
  state.charts.forEach(c => c.dispose());
  state.charts = [];
  state.timers.forEach(t => clearInterval(t));
  state.timers = [];
  if (state.stream) { state.stream.close(); state.stream = null; }
}

function chart(container) {
  const c = echarts.init(container, null, { renderer: 'canvas' });
  state.charts.push(c);
  // Cards are laid out in a grid that reflows as more are added: follow the box's size.
  new ResizeObserver(() => { if (!c.isDisposed()) c.resize(); }).observe(container);
  return c;
}

window.addEventListener('resize', () => state.charts.forEach(c => c.resize()));

/** Calls fn at most once per `ms`, and once more after the last call (events come in bursts). */
function throttled(fn, ms) {
  let timer = null, again = false, running = false;
  const run = async () => {
    timer = null;
    if (running) { again = true; return; }
    running = true;
    try { await fn(); } catch (e) { console.warn(e); }
    running = false;
    if (again) { again = false; timer = setTimeout(run, ms); }
  };
  return () => { if (!timer) timer = setTimeout(run, ms); };
}

function listen(campaignId, onEvent) {
  const url = '/api/events' + (campaignId ? '?campaign=' + encodeURIComponent(campaignId) : '');
  const es = new EventSource(url);
  const handler = m => { try { onEvent(JSON.parse(m.data)); } catch (e) { onEvent(null); } };
  ['experiment', 'audit', 'alert', 'held', 'paused', 'resumed', 'stopped', 'health', 'instrument-online', 'instrument-offline', 'agent-offline', 'agent-online', 'calibration', 'message'].forEach(k => es.addEventListener(k, handler));
  es.onmessage = handler;
  // Events of kinds not listed above still change the page: a generic listener per kind cannot be
  // registered, so the page also refreshes on a slow timer.
  state.stream = es;
  return es;
}

// ---------------------------------------------------------------------------------------------
// session

async function loadSession() {
  try { state.session = await api('GET', '/console/api/session'); } catch (e) { state.session = { signedIn: false }; }
  showSession();
}

function showSession() {
  const s = state.session;
  document.getElementById('sign-in').hidden = s.signedIn;
  document.getElementById('signed-in').hidden = !s.signedIn;
  document.getElementById('who').textContent = s.name || '';
}

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('sign-in').addEventListener('submit', async ev => {
    ev.preventDefault();
    const input = document.getElementById('token');
    try {
      state.session = await api('POST', '/console/api/session', { token: input.value });
      input.value = '';
      showSession();
      notice('Signed in as ' + state.session.name, true);
    } catch (e) {
      notice('Sign-in refused: ' + e.message, false);
    }
  });
  document.getElementById('sign-out').addEventListener('click', async () => {
    try { await api('POST', '/console/api/session/sign-out'); } catch (e) { /* the session may already be gone */ }
    state.session = { signedIn: false };
    showSession();
    notice('Signed out', true);
  });
  window.addEventListener('hashchange', route);
  loadSession().then(route);
});

function route() {
  disposeCharts();
  clearNotice();
  const h = location.hash || '#/';
  const main = document.getElementById('main');
  main.replaceChildren();
  document.querySelectorAll('header nav a').forEach(a => a.classList.remove('active'));
  let m;
  if ((m = h.match(/^#\/campaign\/([^/]+)$/))) { mark('campaigns'); campaignPage(main, decodeURIComponent(m[1])); }
  else if (h === '#/instruments') { mark('instruments'); instrumentsPage(main); }
  else if (h === '#/events') { mark('events'); eventsPage(main); }
  else { mark('campaigns'); campaignsPage(main); }
}

function mark(nav) {
  const a = document.querySelector('header nav a[data-nav="' + nav + '"]');
  if (a) a.classList.add('active');
}

// ---------------------------------------------------------------------------------------------
// campaigns

function eta(c) {
  if (c.status !== 'RUNNING' || !c.budget || !c.startedAt || c.experimentsReached < 1) return '–';
  const elapsed = (Date.now() - new Date(c.startedAt).getTime()) / 1000;
  const left = c.budget - c.experimentsReached;
  return left <= 0 ? 'finishing' : duration(elapsed / c.experimentsReached * left);
}

function bestText(best, objectives) {
  if (!best) return '–';
  if (objectives && objectives.length) {
    const values = objectives.filter(o => typeof best[o] === 'number').map(o => o + ' ' + fmt(best[o])).join(', ');
    const at = Object.entries(best).filter(([k]) => !objectives.includes(k) && k !== 'seq').map(([k, v]) => k + '=' + fmt(v)).join(', ');
    return values + (best.seq ? ' (#' + best.seq + ': ' + at + ')' : '');
  }
  const o = best.objectives || best.values || null;
  if (o) return Object.entries(o).map(([k, v]) => k + ' ' + fmt(v)).join(', ');
  return Object.entries(best).filter(([k, v]) => typeof v === 'number').map(([k, v]) => k + ' ' + fmt(v)).join(', ');
}

function progressBar(c) {
  const pct = c.budget ? Math.min(100, 100 * c.experimentsReached / c.budget) : 0;
  return el('div', { class: 'progress', title: c.experimentsReached + ' of ' + (c.budget || '?') },
    el('span', { style: 'width:' + pct.toFixed(1) + '%' }));
}

async function campaignsPage(main) {
  main.append(el('h1', {}, 'Campaigns'));
  const list = el('div', { class: 'card scroll', id: 'campaigns' }, el('p', { class: 'muted' }, 'Loading…'));
  main.append(list);
  main.append(startPanel());
  const refresh = async () => {
    const campaigns = await api('GET', '/api/campaigns');
    if (!campaigns.length) { list.replaceChildren(el('p', { class: 'muted' }, 'No campaigns yet: start one below.')); return; }
    list.replaceChildren(el('table', {},
      el('thead', {}, el('tr', {}, ['campaign', 'status', 'progress', 'budget used', 'done / failed / held', 'best so far', 'ETA', 'started']
        .map(h => el('th', { class: h === 'started' || h === 'done / failed / held' ? 'hide-narrow' : null }, h)))),
      el('tbody', {}, campaigns.map(c => el('tr', { 'data-campaign': c.id },
        el('td', {}, el('a', { href: '#/campaign/' + encodeURIComponent(c.id) }, c.id)),
        el('td', {}, badge(c.status), c.approval === 'MANUAL' ? el('span', { class: 'muted' }, ' manual') : null),
        el('td', {}, progressBar(c)),
        el('td', { class: 'num' }, c.experimentsReached + ' / ' + (c.budget == null ? '–' : c.budget)),
        el('td', { class: 'num hide-narrow' }, c.experimentsDone + ' / ' + c.experimentsFailed + ' / ' + c.experimentsHeld),
        el('td', {}, bestText(c.best)),
        el('td', {}, eta(c)),
        el('td', { class: 'hide-narrow' }, when(c.startedAt)))))));
  };
  await refresh().catch(e => notice('Cannot list campaigns: ' + e.message));
  const later = throttled(refresh, 1000);
  listen(null, later);
  state.timers.push(setInterval(later, 5000));
}

function startPanel() {
  const problems = el('div', { id: 'start-problems' });
  const fileInput = el('input', { type: 'file', id: 'upload', accept: '.yaml,.yml' });
  const select = el('select', { id: 'campaign-file' }, el('option', { value: '' }, '— the daemon\'s campaign folder —'));
  api('GET', '/console/api/campaign-files').then(files => files.forEach(f => select.append(el('option', { value: f.name }, f.name))))
    .catch(() => {});
  const show = e => {
    problems.replaceChildren(el('p', {}, 'Not started: ' + e.message),
      e.problems && e.problems.length ? el('ul', { class: 'problems' }, e.problems.map(p => el('li', {}, p))) : null);
  };
  const started = c => {
    problems.replaceChildren(el('p', {}, 'Started ', el('a', { href: '#/campaign/' + encodeURIComponent(c.id) }, c.id)));
  };
  return el('div', { class: 'card' },
    el('h2', {}, 'Start a campaign'),
    el('div', { class: 'row' },
      el('label', {}, 'Upload a campaign file: ', fileInput),
      el('button', { id: 'start-upload', class: 'primary', onclick: async () => {
        const f = fileInput.files[0];
        if (!f) { notice('Choose a campaign file first'); return; }
        const text = await f.text();
        try { started(await change('Start ' + f.name, 'POST', '/api/campaigns?file=' + encodeURIComponent(f.name), text, 'application/yaml')); }
        catch (e) { show(e); }
      } }, 'Start upload')),
    el('div', { class: 'row', style: 'margin-top:8px' },
      el('label', {}, 'or a file on the daemon: ', select),
      el('button', { id: 'start-file', onclick: async () => {
        if (!select.value) { notice('Choose a file first'); return; }
        try { started(await change('Start ' + select.value, 'POST', '/console/api/campaign-files/' + encodeURIComponent(select.value) + '/start')); }
        catch (e) { show(e); }
      } }, 'Start')),
    problems);
}

// ---------------------------------------------------------------------------------------------
// one campaign

async function campaignPage(main, id) {
  const enc = encodeURIComponent(id);
  const header = el('div', { class: 'card', id: 'campaign-head' });
  const inbox = el('div', { id: 'inbox' });
  const held = el('div', { id: 'held' });
  const plots = el('div', { class: 'grid', id: 'plots' });
  const looked = el('div', { class: 'card', id: 'looked' });
  const planner = el('div', { class: 'card', id: 'planner' });
  const table = el('div', { class: 'card', id: 'experiments' });
  main.append(el('h1', {}, el('a', { href: '#/' }, 'Campaigns'), ' / ', id), header, inbox, held, plots, looked, planner, table);

  const tableState = { offset: 0, limit: 50, sort: '-seq', status: '', open: new Set() };
  const objectiveCharts = new Map();
  const lookedState = { objective: null, built: false };
  let lastSeries = null;

  const drawHead = (c, s) => {
    let best = bestText(c.best, objectivesNow);
    if (!c.best && s) {
      const parts = Object.entries(s.best).filter(([, b]) => b.length).map(([o, b]) => o + ' ' + fmt(b[b.length - 1][1]));
      if (parts.length) best = parts.join(', ');
    }
    header.replaceChildren(
      el('div', { class: 'row' }, el('b', { style: 'font-size:16px' }, c.name), badge(c.status),
        c.approval === 'MANUAL' ? el('span', { class: 'badge' }, 'approval: manual') : null,
        el('div', { class: 'actions', style: 'margin-left:auto' },
          el('button', { id: 'pause', disabled: c.status !== 'RUNNING', title: c.status !== 'RUNNING' ? 'only a running campaign can pause' : null, onclick: () => change('Pause', 'POST', '/api/campaigns/' + enc + '/pause').then(refresh).catch(() => {}) }, 'Pause'),
          el('button', { id: 'resume', disabled: c.status !== 'PAUSED', title: c.status !== 'PAUSED' ? 'only a paused campaign can resume' : null, onclick: () => change('Resume', 'POST', '/api/campaigns/' + enc + '/resume').then(refresh).catch(() => {}) }, 'Resume'),
          el('button', { id: 'abort', class: 'danger', disabled: c.status === 'DONE' || c.status === 'ABORTED', onclick: () => {
            if (confirm('Abort ' + id + '? Every instrument gets its abort command.')) {
              change('Abort', 'POST', '/api/campaigns/' + enc + '/abort').then(refresh).catch(() => {});
            }
          } }, 'Abort'),
          el('a', { href: '/api/campaigns/' + enc + '/export?format=csv', download: id.replace('~', '-') + '.csv' }, 'CSV'),
          el('a', { href: '/api/campaigns/' + enc + '/export?format=jsonl', download: id.replace('~', '-') + '.jsonl' }, 'JSONL'))),
      el('div', { class: 'facts', style: 'margin-top:8px' },
        el('div', {}, el('b', {}, 'progress'), progressBar(c)),
        el('div', {}, el('b', {}, 'budget used'), el('span', { id: 'reached' }, c.experimentsReached + ' / ' + (c.budget == null ? '–' : c.budget))),
        el('div', {}, el('b', {}, 'done'), el('span', { id: 'done-count' }, c.experimentsDone)),
        el('div', {}, el('b', {}, 'failed'), c.experimentsFailed),
        el('div', {}, el('b', {}, 'held'), c.experimentsHeld),
        el('div', {}, el('b', {}, 'best so far'), best),
        el('div', {}, el('b', {}, 'ETA'), eta(c)),
        el('div', { class: 'hide-narrow' }, el('b', {}, 'started'), when(c.startedAt)),
        c.stopReason ? el('div', {}, el('b', {}, 'stopped because'), c.stopReason) : null));
  };

  const drawInbox = approvals => {
    if (!approvals.length) { inbox.replaceChildren(); return; }
    inbox.replaceChildren(el('div', { class: 'card' }, el('h2', {}, 'Waiting for approval (' + approvals.length + ')'),
      el('div', { class: 'scroll' }, el('table', {},
        el('thead', {}, el('tr', {}, ['#', 'suggested conditions', 'predicted', 'acquisition', 'planner says', ''].map(h => el('th', {}, h)))),
        el('tbody', {}, approvals.map(a => el('tr', { 'data-approval': a.seq },
          el('td', {}, a.seq),
          el('td', {}, fmtPoint(a.point)),
          el('td', {}, Object.keys(a.predictedMean || {}).map(k => k + ' ' + fmt(a.predictedMean[k]) + ' ± ' + fmt((a.predictedSd || {})[k])).join(', ') || '–'),
          el('td', {}, fmt(a.acquisition)),
          el('td', {}, a.planner + ': ' + (a.reason || '')),
          el('td', { class: 'actions' },
            el('button', { class: 'primary approve', onclick: () => change('Approve #' + a.seq, 'POST', '/api/campaigns/' + enc + '/approvals/' + a.seq + '/approve').then(refresh).catch(() => {}) }, 'Approve'),
            el('button', { class: 'danger reject', onclick: () => {
              const reason = prompt('Why reject #' + a.seq + '? (the planner learns this point as infeasible)', 'rejected by hand');
              if (reason !== null) change('Reject #' + a.seq, 'POST', '/api/campaigns/' + enc + '/approvals/' + a.seq + '/reject', { reason }).then(refresh).catch(() => {});
            } }, 'Reject')))))))));
  };

  const drawHeld = (rows, objectives) => {
    if (!rows.length) { held.replaceChildren(); return; }
    held.replaceChildren(el('div', { class: 'card' }, el('h2', {}, 'Held experiments (' + rows.length + ')'),
      el('p', { class: 'muted' }, 'LabLoop stopped while a command that is not idempotent was in flight. Check the instrument and the sample, then:'),
      rows.map(r => {
        const reason = el('input', { placeholder: 'reason (for the audit trail)', size: 28 });
        const inputs = objectives.map(o => el('input', { placeholder: o, size: 8, 'data-objective': o }));
        const release = body => change('Release #' + r.seq, 'POST', '/api/campaigns/' + enc + '/experiments/' + r.seq + '/release',
          Object.assign({ reason: reason.value }, body)).then(refresh).catch(() => {});
        return el('div', { class: 'row', 'data-held': r.seq, style: 'margin:6px 0' },
          el('b', {}, '#' + r.seq), el('span', {}, fmtPoint(r.requested)), el('span', { class: 'muted' }, r.cause || ''), reason,
          el('button', { onclick: () => release({ action: 'retry' }) }, 'Retry'),
          el('button', { class: 'danger', onclick: () => release({ action: 'fail' }) }, 'Fail'),
          inputs,
          el('button', { onclick: () => {
            const values = {};
            for (const i of inputs) {
              const v = parseFloat(i.value);
              if (isNaN(v)) { notice('Enter a number for ' + i.dataset.objective); return; }
              values[i.dataset.objective] = v;
            }
            release({ action: 'measured', values });
          } }, 'Enter values'));
      })));
  };

  const drawPlots = s => {
    lastSeries = s;
    const objectives = Object.keys(s.objectives);
    const seqs = s.seqs;
    for (const o of objectives) {
      let entry = objectiveCharts.get(o);
      if (!entry) {
        const box = el('div', { class: 'chart' });
        const caption = el('div', { class: 'muted', 'data-points': o });
        plots.append(el('div', { class: 'card', 'data-objective-plot': o }, el('h2', {}, o + ' by experiment'), box, caption));
        entry = { chart: chart(box), caption };
        objectiveCharts.set(o, entry);
      }
      const goal = (s.outline.objectives.find(g => g.name === o) || {});
      const values = s.objectives[o];
      const pts = [];
      for (let i = 0; i < seqs.length; i++) if (values[i] !== null && values[i] !== undefined) pts.push([seqs[i], values[i]]);
      const finite = pts.map(p => p[1]);
      const low = finite.length ? Math.min(...finite) : 0;
      const failures = s.failures.map(f => ({ value: [f.seq, low], cause: f.cause, status: f.status }));
      entry.caption.textContent = (s.shown < s.total ? pts.length + ' of ' + s.total + ' observations shown (down-sampled)' : pts.length + ' observations')
        + (s.failures.length ? ', ' + s.failures.length + ' failed or interrupted (✕ on the axis)' : '')
        + (goal.goal ? ' · goal: ' + (goal.goal === 'target' ? 'target ' + fmt(goal.target) : goal.goal) : '');
      entry.caption.dataset.count = String(pts.length);
      entry.chart.setOption({
        animation: false,
        grid: { left: 50, right: 12, top: 24, bottom: 36 },
        legend: { top: 0, data: ['observed', 'best so far', 'failed / interrupted'] },
        tooltip: { trigger: 'item', formatter: p => p.seriesName === 'failed / interrupted'
          ? '#' + p.data.value[0] + ' ' + p.data.status + '<br>' + escapeHtml(p.data.cause)
          : '#' + p.value[0] + ': ' + o + ' = ' + fmt(p.value[1]) },
        xAxis: { type: 'value', name: 'experiment', nameLocation: 'middle', nameGap: 22, minInterval: 1 },
        yAxis: { type: 'value', name: o + (goal.unit ? ' [' + goal.unit + ']' : ''), scale: true },
        series: [
          { name: 'observed', type: 'scatter', symbolSize: 6, data: pts, large: pts.length > 3000 },
          { name: 'best so far', type: 'line', step: 'end', symbol: 'none', data: s.best[o] || [], lineStyle: { width: 2 } },
          { name: 'failed / interrupted', type: 'scatter', symbol: 'path://M0,0 L10,10 M10,0 L0,10', symbolSize: 9,
            itemStyle: { color: '#cf222e', borderColor: '#cf222e', borderWidth: 2 }, data: failures }
        ]
      });
    }
    drawLooked(s);
  };

  const drawLooked = s => {
    const objectives = Object.keys(s.objectives);
    const params = Object.keys(s.parameters);
    if (!objectives.length || !params.length) { looked.replaceChildren(el('p', { class: 'muted' }, 'No observations yet.')); return; }
    if (!lookedState.objective) lookedState.objective = objectives[0];
    if (!lookedState.built) {
      const pick = el('select', { id: 'colour-by', onchange: () => { lookedState.objective = pick.value; drawLooked(lastSeries); } },
        objectives.map(o => el('option', { value: o }, o)));
      lookedState.grid = el('div', { class: 'grid' });
      lookedState.parallel = el('div', { class: 'chart' });
      lookedState.pareto = el('div', { class: 'chart' });
      looked.replaceChildren(el('h2', {}, 'Where the planner has looked'), el('label', {}, 'objective: ', pick), lookedState.grid,
        el('h2', {}, 'Parallel coordinates'), lookedState.parallel,
        objectives.length === 2 ? el('div', {}, el('h2', {}, 'Pareto front: ' + objectives[0] + ' vs ' + objectives[1]), lookedState.pareto) : null);
      lookedState.scatter = new Map();
      for (const p of params) {
        const box = el('div', { class: 'chart small' });
        lookedState.grid.append(el('div', {}, box));
        lookedState.scatter.set(p, chart(box));
      }
      lookedState.parallelChart = chart(lookedState.parallel);
      if (objectives.length === 2) lookedState.paretoChart = chart(lookedState.pareto);
      lookedState.built = true;
    }
    const o = lookedState.objective;
    const y = s.objectives[o];
    const finite = y.filter(v => v !== null);
    const lo = finite.length ? Math.min(...finite) : 0, hi = finite.length ? Math.max(...finite) : 1;
    const visual = { type: 'continuous', min: lo, max: hi === lo ? lo + 1 : hi, dimension: 1, show: false,
      inRange: { color: ['#313695', '#4575b4', '#74add1', '#fdae61', '#f46d43', '#a50026'] } };
    for (const p of params) {
      const info = s.outline.parameters[p] || {};
      const categorical = info.type === 'categorical';
      const xs = s.parameters[p];
      const data = [];
      for (let i = 0; i < xs.length; i++) if (y[i] !== null) data.push([xs[i], y[i], s.seqs[i]]);
      lookedState.scatter.get(p).setOption({
        animation: false, title: { text: p + ' vs ' + o, textStyle: { fontSize: 13 } },
        grid: { left: 50, right: 10, top: 30, bottom: 30 },
        tooltip: { formatter: q => '#' + q.value[2] + ': ' + p + ' = ' + fmt(q.value[0]) + ', ' + o + ' = ' + fmt(q.value[1]) },
        xAxis: categorical ? { type: 'category', data: info.values } : { type: info.log ? 'log' : 'value', scale: true, name: info.unit || '' },
        yAxis: { type: 'value', scale: true },
        visualMap: Object.assign({}, visual, { dimension: 1 }),
        series: [{ type: 'scatter', symbolSize: 6, data }]
      }, true);
    }
    const dims = params.map((p, i) => {
      const info = s.outline.parameters[p] || {};
      return info.type === 'categorical' ? { dim: i, name: p, type: 'category', data: info.values }
        : { dim: i, name: p, type: info.log ? 'log' : 'value', min: isFinite(info.min) ? info.min : undefined, max: isFinite(info.max) ? info.max : undefined };
    });
    dims.push({ dim: params.length, name: o });
    const lines = [];
    for (let i = 0; i < s.seqs.length; i++) {
      if (y[i] === null) continue;
      lines.push(params.map(p => s.parameters[p][i]).concat([y[i]]));
    }
    lookedState.parallelChart.setOption({
      animation: false, parallelAxis: dims, parallel: { left: 40, right: 60, top: 30, bottom: 20 },
      visualMap: Object.assign({}, visual, { dimension: params.length, show: true, orient: 'vertical', right: 0, top: 'middle', itemHeight: 120, text: [o, ''] }),
      series: [{ type: 'parallel', lineStyle: { width: 1, opacity: 0.6 }, data: lines }]
    }, true);
    if (lookedState.paretoChart) {
      const [a, b] = objectives;
      const all = [];
      for (let i = 0; i < s.seqs.length; i++) if (s.objectives[a][i] !== null && s.objectives[b][i] !== null) all.push([s.objectives[a][i], s.objectives[b][i], s.seqs[i]]);
      lookedState.paretoChart.setOption({
        animation: false, grid: { left: 55, right: 12, top: 24, bottom: 36 }, legend: { top: 0 },
        tooltip: { formatter: q => '#' + q.value[2] + ': ' + a + ' ' + fmt(q.value[0]) + ', ' + b + ' ' + fmt(q.value[1]) },
        xAxis: { type: 'value', scale: true, name: a, nameLocation: 'middle', nameGap: 22 }, yAxis: { type: 'value', scale: true, name: b },
        series: [{ name: 'experiments', type: 'scatter', symbolSize: 5, data: all, itemStyle: { color: '#8c959f' } },
          { name: 'Pareto front', type: 'line', symbolSize: 8, data: s.pareto.map(p => [p[1], p[2], p[0]]), itemStyle: { color: '#cf222e' } }]
      }, true);
    }
  };

  const drawPlanner = rows => {
    const withDecision = rows.filter(r => r.decision);
    if (!withDecision.length) { planner.replaceChildren(el('h2', {}, 'Planner'), el('p', { class: 'muted' }, 'No suggestions yet.')); return; }
    const latest = withDecision.reduce((a, b) => (a.seq > b.seq ? a : b));
    const d = latest.decision;
    const scales = Object.entries(d.details || {}).filter(([k]) => k.startsWith('lengthscale.'))
      .map(([k, v]) => [k.substring('lengthscale.'.length), 1 / v]);
    const maxRel = Math.max(...scales.map(s => s[1]), 0);
    planner.replaceChildren(el('h2', {}, 'Planner'),
      el('div', { class: 'kv' },
        el('span', { class: 'muted' }, 'latest suggestion'), el('span', {}, '#' + latest.seq + ' by ' + d.planner + ': ' + (d.reason || '')),
        el('span', { class: 'muted' }, 'predicted'), el('span', {}, predicted(d)),
        el('span', { class: 'muted' }, 'acquisition'), el('span', {}, fmt(d.acquisition))),
      scales.length ? el('div', { class: 'bars' }, el('h2', {}, 'Which parameters matter (1 / length-scale of the model)'),
        scales.sort((a, b) => b[1] - a[1]).map(([p, r]) => el('div', {}, el('span', { style: 'width:130px' }, p),
          el('span', { class: 'bar', style: 'width:' + Math.max(2, 200 * r / maxRel).toFixed(0) + 'px' }), el('span', { class: 'muted' }, fmt(r))))) : null);
  };

  const drawTable = (page, objectives, params) => {
    const statusSelect = el('select', { id: 'status-filter', onchange: () => { tableState.status = statusSelect.value; tableState.offset = 0; loadTable(); } },
      ['', 'DONE', 'RUNNING', 'PLANNED', 'WAITING_APPROVAL', 'FAILED', 'INTERRUPTED', 'HELD', 'REJECTED']
        .map(s => el('option', { value: s, selected: s === tableState.status }, s || 'every status')));
    const sortHead = (label, key) => el('th', { class: 'sortable', title: 'sort', onclick: () => {
      tableState.sort = tableState.sort === key ? '-' + key : (tableState.sort === '-' + key ? key : (key === 'seq' ? '-seq' : key));
      loadTable();
    } }, label + (tableState.sort === key ? ' ▲' : tableState.sort === '-' + key ? ' ▼' : ''));
    const body = el('tbody');
    for (const r of page.rows) {
      const tr = el('tr', { class: 'clickable' + (tableState.open.has(r.seq) ? ' expanded' : ''), 'data-seq': r.seq, title: 'show steps' },
        el('td', {}, r.seq), el('td', {}, badge(r.status)),
        params.map(p => el('td', { class: 'num' }, fmt((r.achieved || r.requested || {})[p]))),
        objectives.map(o => el('td', { class: 'num' }, r.objectives ? fmt(r.objectives[o]) : '–')),
        el('td', { class: 'hide-narrow' }, r.cause || (r.decision ? r.decision.reason : '')),
        el('td', { class: 'hide-narrow' }, r.endedAt ? when(r.endedAt) : ''));
      tr.addEventListener('click', () => {
        if (tableState.open.has(r.seq)) tableState.open.delete(r.seq); else tableState.open.add(r.seq);
        loadTable();
      });
      body.append(tr);
      if (tableState.open.has(r.seq)) {
        const cell = el('td', { colspan: 4 + params.length + objectives.length }, el('span', { class: 'muted' }, 'Loading…'));
        body.append(el('tr', { class: 'detail', 'data-detail': r.seq }, cell));
        api('GET', '/console/api/campaigns/' + enc + '/experiments/' + r.seq).then(d => cell.replaceChildren(detailView(d))).catch(e => cell.replaceChildren(e.message));
      }
    }
    const pages = Math.max(1, Math.ceil(page.matching / tableState.limit));
    const at = Math.floor(page.offset / tableState.limit) + 1;
    table.replaceChildren(
      el('div', { class: 'row' }, el('h2', {}, 'Experiments'), el('label', {}, 'show: ', statusSelect),
        el('span', { class: 'muted', id: 'table-count' }, page.matching + ' of ' + page.total)),
      el('div', { class: 'scroll' }, el('table', {},
        el('thead', {}, el('tr', {}, sortHead('#', 'seq'), sortHead('status', 'status'), params.map(p => el('th', {}, p)),
          objectives.map(o => sortHead(o, 'objective:' + o)), el('th', { class: 'hide-narrow' }, 'planner / cause'), el('th', { class: 'hide-narrow' }, 'ended'))),
        body)),
      el('div', { class: 'pager' },
        el('button', { disabled: at <= 1, onclick: () => { tableState.offset = Math.max(0, tableState.offset - tableState.limit); loadTable(); } }, '‹ newer'),
        el('span', {}, 'page ' + at + ' of ' + pages),
        el('button', { disabled: at >= pages, onclick: () => { tableState.offset += tableState.limit; loadTable(); } }, 'older ›')));
  };

  let objectivesNow = [], paramsNow = [];
  const loadTable = async () => {
    const q = '?offset=' + tableState.offset + '&limit=' + tableState.limit + '&sort=' + encodeURIComponent(tableState.sort)
      + (tableState.status ? '&status=' + tableState.status : '');
    const page = await api('GET', '/console/api/campaigns/' + enc + '/experiments' + q);
    drawTable(page, objectivesNow, paramsNow);
    drawPlanner(page.rows);
    return page;
  };

  const refresh = async () => {
    const [c, s, approvals, heldPage] = await Promise.all([
      api('GET', '/console/api/campaigns/' + enc + '/summary'),
      api('GET', '/console/api/campaigns/' + enc + '/series'),
      api('GET', '/api/campaigns/' + enc + '/approvals').catch(() => []),
      api('GET', '/console/api/campaigns/' + enc + '/experiments?status=HELD&limit=100&sort=seq')]);
    objectivesNow = Object.keys(s.objectives);
    paramsNow = Object.keys(s.parameters);
    drawHead(c, s);
    drawInbox(approvals);
    drawHeld(heldPage.rows, objectivesNow);
    drawPlots(s);
    await loadTable();
  };

  try { await refresh(); } catch (e) { notice('Cannot show ' + id + ': ' + e.message); return; }
  const later = throttled(refresh, 250);
  listen(id, later);
  state.timers.push(setInterval(later, 10000));
}

function predicted(d) {
  const m = d.predictedMean || {};
  const keys = Object.keys(m);
  if (!keys.length) return '–';
  return keys.map(k => k + ' ' + fmt(m[k]) + ' ± ' + fmt((d.predictedSd || {})[k])).join(', ');
}

function escapeHtml(s) {
  return String(s || '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' }[c]));
}

function detailView(d) {
  const x = d.experiment;
  const dec = x.decision;
  return el('div', {},
    el('div', { class: 'kv' },
      el('span', { class: 'muted' }, 'requested'), el('span', {}, fmtPoint(x.requested)),
      el('span', { class: 'muted' }, 'achieved'), el('span', {}, fmtPoint(x.achieved)),
      x.cause ? el('span', { class: 'muted' }, 'cause') : null, x.cause ? el('span', {}, x.cause) : null,
      x.retryOf ? el('span', { class: 'muted' }, 'retry of') : null, x.retryOf ? el('span', {}, '#' + x.retryOf) : null,
      dec ? el('span', { class: 'muted' }, 'planner') : null, dec ? el('span', {}, dec.planner + ': ' + (dec.reason || '')) : null,
      dec ? el('span', { class: 'muted' }, 'predicted') : null, dec ? el('span', {}, predicted(dec) + (dec.acquisition != null ? ' · acquisition ' + fmt(dec.acquisition) : '')) : null,
      dec && Object.keys(dec.details || {}).length ? el('span', { class: 'muted' }, 'model') : null,
      dec && Object.keys(dec.details || {}).length ? el('span', { class: 'mono' }, fmtPoint(dec.details)) : null),
    el('table', { class: 'steps' },
      el('thead', {}, el('tr', {}, ['step', 'command', 'arguments sent', 'status', 'reply', 'time', 'raw data'].map(h => el('th', {}, h)))),
      el('tbody', {}, d.steps.map(s => el('tr', {},
        el('td', {}, s.stepId + (s.attempt > 1 ? ' (attempt ' + s.attempt + ')' : '')),
        el('td', { class: 'mono' }, s.instrument + '.' + s.command),
        el('td', { class: 'mono' }, fmtPoint(s.arguments)),
        el('td', {}, badge(s.status)),
        el('td', { class: 'mono' }, s.error ? (s.errorKind + ': ' + s.error) : fmtPoint(s.outputs)),
        el('td', {}, s.seconds != null ? s.seconds.toFixed(2) + ' s' : (s.startedAt ? 'since ' + when(s.startedAt) : '–')),
        el('td', {}, s.attachments.map(a => el('div', {}, el('a', { href: a.href, download: a.name }, a.name), el('span', { class: 'muted' }, ' ' + a.sizeBytes + ' B')))))))));
}

// ---------------------------------------------------------------------------------------------
// instruments

function instrumentState(i) {
  return i.status === 'ONLINE' ? (i.busy > 0 ? 'busy' : 'idle') : (i.status === 'ERROR' ? 'error' : 'offline');
}

function holderText(h) {
  const what = h.campaignId ? h.campaignId + (h.seq ? ' #' + h.seq : '') + (h.step ? ' ' + h.step : '') : h.holder;
  return what + ' since ' + when(h.since);
}

function holderView(h) {
  const text = holderText(h);
  return h.campaignId
    ? el('a', { href: '#/campaign/' + encodeURIComponent(h.campaignId), class: 'holder' }, text)
    : el('span', { class: 'holder' }, text);
}

function commandView(c) {
  if (!c) return el('span', { class: 'muted' }, 'none since the daemon started');
  const args = Object.entries(c.arguments || {}).map(([k, v]) => k + '=' + fmt(v)).join(', ');
  return el('span', { class: 'last-command' },
    el('span', { class: 'mono' }, c.command + '(' + args + ')'), ' ', badge(c.outcome),
    el('span', { class: 'muted' }, ' by ' + c.by + ', ' + when(c.sentAt) + (c.seconds !== null && c.seconds !== undefined ? ', ' + fmt(c.seconds) + ' s' : '')),
    c.message ? el('div', { class: 'mono' }, c.message) : null);
}

function instrumentCard(d) {
  const i = d.instrument;
  const st = instrumentState(i);
  const probes = d.probes || [];
  const alerts = d.alerts || [];
  return el('section', { class: 'card instrument', 'data-instrument-card': i.name },
    el('h2', {}, i.name, ' ', badge(st), ' ', el('span', { class: 'muted' }, i.driver + (i.agent ? ' on agent ' + i.agent : ''))),
    el('div', { class: 'kv' },
      el('b', {}, 'state'), el('span', {}, i.status + (i.reasonKind ? ' (' + i.reasonKind + ')' : '') + (i.reason ? ': ' + i.reason : '') + ', since ' + when(i.since)),
      el('b', {}, 'held by'), el('span', { class: 'holders' }, d.holders && d.holders.length ? d.holders.map(h => el('div', {}, holderView(h))) : el('span', { class: 'muted' }, 'nobody (idle)'),
        i.queued ? el('div', { class: 'muted' }, i.queued + ' step(s) waiting') : null),
      el('b', {}, 'last command'), commandView(d.lastCommand),
      el('b', {}, 'last error'), el('span', { class: 'mono' }, i.lastError || '–')),
    el('details', { class: 'probes', open: probes.length > 0 },
      el('summary', {}, 'Health probes (' + probes.length + (probes.length >= 50 ? ', newest 50' : '') + ')'),
      probes.length ? el('div', { class: 'scroll' }, el('table', {},
        el('thead', {}, el('tr', {}, ['time', 'command', 'outcome', 'took', 'message'].map(h => el('th', {}, h)))),
        el('tbody', {}, probes.slice(0, 10).map(p => el('tr', { 'data-probe': p.outcome },
          el('td', {}, when(p.at)), el('td', { class: 'mono' }, p.command), el('td', {}, badge(p.outcome)),
          el('td', { class: 'num' }, p.millis + ' ms'), el('td', { class: 'mono' }, p.message || ''))))))
        : el('p', { class: 'muted' }, 'No health probe yet' + (i.status === 'ONLINE' ? ' (an instrument with a health: command is probed when idle)' : ''))),
    el('details', { class: 'alerts', open: alerts.length > 0 },
      el('summary', {}, 'Alerts (' + alerts.length + ')'),
      alerts.length ? el('div', { class: 'scroll' }, el('table', {},
        el('tbody', {}, alerts.slice(0, 20).map(e => el('tr', { 'data-alert': e.kind },
          el('td', {}, when(e.at)), el('td', {}, badge(e.kind)),
          el('td', {}, (e.campaignId ? e.campaignId + ' ' : '') + (e.seq ? '#' + e.seq + ' ' : '') + e.message))))))
        : el('p', { class: 'muted' }, 'No alerts since the daemon started.')));
}

// An instrument on another PC names the agent that drives it.
function agentNote(i) {
  return i.agent ? el('div', { class: 'muted', 'data-agent-of': i.name }, 'on agent ' + i.agent) : null;
}

// The lab's instrument agents; hidden when every instrument is on the daemon's PC.
function agentsTable(agents) {
  return el('table', {},
    el('thead', {}, el('tr', {}, ['agent', 'state', 'last heartbeat', 'instruments'].map(h => el('th', {}, h)))),
    el('tbody', {}, agents.map(a => el('tr', { 'data-agent': a.name },
      el('td', {}, el('b', {}, a.name)),
      el('td', {}, badge(a.online ? 'ONLINE' : 'OFFLINE'), a.online ? null : el('div', { class: 'muted' }, a.reason)),
      el('td', {}, a.lastHeartbeat ? when(a.lastHeartbeat) + ' (' + fmt(a.heartbeatAgeSeconds) + ' s ago, every ' + fmt(a.heartbeatSeconds) + ' s)' : 'never'),
      el('td', { class: 'mono' }, a.instruments.join(', '))))));
}

async function instrumentsPage(main) {
  const agentsCard = el('div', { class: 'card scroll', id: 'agents', hidden: true });
  const list = el('div', { class: 'card scroll', id: 'instruments' });
  const cards = el('div', { class: 'grid', id: 'instrument-cards' });
  const history = el('div', { class: 'card scroll', id: 'lab-events' });
  main.append(el('div', { class: 'row' }, el('h1', {}, 'Instruments'),
    el('button', { id: 'reload', onclick: async () => {
      try {
        const r = await api('POST', '/api/reload');
        notice('Lab file ' + r.file + (r.changes.length ? ' reloaded: ' + r.changes.join('; ') : ' unchanged'), true);
      } catch (e) {
        notice('Reload refused: ' + e.message + (e.status === 401 ? ' — sign in to make changes' : ''), false, e.problems);
      }
      refresh();
    } }, 'Reload the lab file')), list, agentsCard, cards, el('h2', {}, 'Lab alerts and health changes'), history);
  const refresh = async () => {
    const [instruments, events] = await Promise.all([api('GET', '/api/instruments'), api('GET', '/console/api/lab-events')]);
    const agents = instruments.some(i => i.agent) ? await api('GET', '/api/agents').catch(() => []) : [];
    agentsCard.hidden = agents.length === 0;
    agentsCard.replaceChildren(el('h2', {}, 'Agents'), agentsTable(agents));
    const details = await Promise.all(instruments.map(i => api('GET', '/api/instruments/' + encodeURIComponent(i.name))
      .catch(() => ({ instrument: i, holders: [], lastCommand: null, probes: [], alerts: [] }))));
    const byName = Object.fromEntries(details.map(d => [d.instrument.name, d]));
    list.replaceChildren(el('table', {},
      el('thead', {}, el('tr', {}, ['instrument', 'state', 'why', 'since', 'held by', 'last command', 'running / queued'].map((h, n) => el('th', { class: n === 6 ? 'hide-narrow' : null }, h)))),
      el('tbody', {}, instruments.map(listed => {
        const d = byName[listed.name] || {};
        // the detail was read after the list: row and card show the same, newer state
        const i = d.instrument || listed;
        const c = d.lastCommand;
        return el('tr', { 'data-instrument': i.name },
          el('td', {}, el('b', {}, i.name), el('div', { class: 'muted' }, i.driver), agentNote(i)), el('td', {}, badge(instrumentState(i))),
          el('td', {}, (i.reasonKind ? i.reasonKind + ': ' : '') + (i.reason || '')), el('td', {}, when(i.since)),
          el('td', { class: 'held-by' }, (d.holders || []).map(h => el('div', {}, holderView(h)))),
          el('td', { class: 'mono last-command-cell' }, c ? c.command + ' ' : '', c ? badge(c.outcome) : '–'),
          el('td', { class: 'num hide-narrow' }, i.busy + ' / ' + i.queued));
      }))));
    cards.replaceChildren(...details.map(instrumentCard));
    const rows = events.slice().reverse();
    history.replaceChildren(rows.length ? el('table', {},
      el('thead', {}, el('tr', {}, ['time', 'instrument', 'kind', 'message'].map(h => el('th', {}, h)))),
      el('tbody', {}, rows.map(e => el('tr', {}, el('td', {}, when(e.at)), el('td', {}, e.instrument || ''), el('td', {}, badge(e.kind)), el('td', {}, e.message)))))
      : el('p', { class: 'muted' }, 'No alerts or failed health checks since the daemon started.'));
  };
  await refresh().catch(e => notice('Cannot list instruments: ' + e.message));
  const later = throttled(refresh, 1000);
  listen(null, later);
  // Leases and commands change without an event of their own: look again every 2 s.
  state.timers.push(setInterval(later, 2000));
}

// ---------------------------------------------------------------------------------------------
// events and audit

async function eventsPage(main) {
  const filters = { campaign: '', kind: '', actor: '', text: '' };
  const campaignSelect = el('select', { id: 'ev-campaign' }, el('option', { value: '' }, 'every campaign'));
  const kindSelect = el('select', { id: 'ev-kind' }, el('option', { value: '' }, 'every kind'));
  const actorInput = el('input', { id: 'ev-actor', placeholder: 'who (token name)', size: 14 });
  const textInput = el('input', { id: 'ev-text', placeholder: 'text', size: 16 });
  const list = el('div', { class: 'card scroll', id: 'timeline' });
  main.append(el('h1', {}, 'Events and audit trail'),
    el('div', { class: 'row card' }, campaignSelect, kindSelect, actorInput, textInput), list);
  let events = [];
  const draw = () => {
    const shown = events.filter(e => (!filters.campaign || e.campaignId === filters.campaign) && (!filters.kind || e.kind === filters.kind)
      && (!filters.actor || (e.actor || '').toLowerCase().includes(filters.actor.toLowerCase()))
      && (!filters.text || (e.message || '').toLowerCase().includes(filters.text.toLowerCase())));
    list.replaceChildren(el('p', { class: 'muted' }, shown.length + ' of ' + events.length + ' events'), el('table', {},
      el('thead', {}, el('tr', {}, ['time', 'campaign', 'kind', 'who', 'message'].map(h => el('th', {}, h)))),
      el('tbody', {}, shown.map(e => el('tr', { 'data-kind': e.kind },
        el('td', {}, when(e.at)), el('td', {}, e.campaignId ? el('a', { href: '#/campaign/' + encodeURIComponent(e.campaignId) }, e.campaignId) : 'lab'),
        el('td', {}, badge(e.kind)), el('td', {}, e.actor || ''), el('td', {}, (e.seq ? '#' + e.seq + ' ' : '') + e.message))))));
  };
  const refresh = async () => {
    events = await api('GET', '/console/api/timeline?limit=1000');
    const campaigns = [...new Set(events.map(e => e.campaignId).filter(Boolean))].sort();
    const kinds = [...new Set(events.map(e => e.kind))].sort();
    const keep = (select, values) => {
      const v = select.value;
      select.replaceChildren(select.firstChild, ...values.map(x => el('option', { value: x, selected: x === v }, x)));
    };
    keep(campaignSelect, campaigns);
    keep(kindSelect, kinds);
    draw();
  };
  campaignSelect.addEventListener('change', () => { filters.campaign = campaignSelect.value; draw(); });
  kindSelect.addEventListener('change', () => { filters.kind = kindSelect.value; draw(); });
  actorInput.addEventListener('input', () => { filters.actor = actorInput.value; draw(); });
  textInput.addEventListener('input', () => { filters.text = textInput.value; draw(); });
  await refresh().catch(e => notice('Cannot list events: ' + e.message));
  const later = throttled(refresh, 1500);
  listen(null, later);
}
