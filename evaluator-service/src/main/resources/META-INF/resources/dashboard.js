// The evaluator dashboard: a snapshot from /api/dashboard/*, then live updates from the server-sent event stream.
// Points are keyed by generator step, so a snapshot and an update that overlap merge without duplicates.
(function () {
  'use strict';

  const API = 'api/dashboard/';
  const DECISION_COLORS = { PASS: '#16a34a', FAIL: '#d97706', DECAY: '#dc2626', WARMUP: '#9ca3af' };
  const SERIES_COLORS = { kid: '#2563eb', lrG: '#7c3aed', lrC: '#0891b2', critic: '#ea580c', gen: '#2563eb', mmd2: '#059669' };

  const runs = new Map();          // runId → summary
  let selected = null;             // runId shown
  let detail = null;               // { metrics, kid, decisions: Map step → point } of the selected run
  let pending = [];                // updates for the selected run that arrived while its snapshot loaded
  let renderQueued = false;

  const $ = (id) => document.getElementById(id);
  const charts = {
    kid: echarts.init($('kid-chart')),
    lr: echarts.init($('lr-chart')),
    loss: echarts.init($('loss-chart')),
  };
  window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));

  // ---------- formatting ----------
  const fmtNum = (v) => {
    if (v === null || v === undefined) return '–';
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : Number(v.toPrecision(4)).toString();
  };
  const fmtLr = (v) => (v === null || v === undefined ? '–' : v.toExponential(1));
  const fmtStep = (v) => (v === null || v === undefined ? '–' : v.toLocaleString('en-US'));
  const fmtEta = (s) => {
    if (s === null || s === undefined || s <= 0) return '';
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = Math.round(s % 60);
    return 'ETA ' + (h > 0 ? h + ' h ' + String(m).padStart(2, '0') + ' min' : m > 0 ? m + ' min ' + sec + ' s' : sec + ' s');
  };
  const fmt3 = (v) => (v === null || v === undefined ? '–'
    : Math.abs(v) !== 0 && Math.abs(v) < 1e-3 ? v.toExponential(2) : Number(v.toPrecision(3)).toString());
  const kidText = (k) => (k ? fmt3(k.mean) + (k.stderr !== null ? ' ± ' + fmt3(k.stderr) : '') : '–');
  const DECISIONS = [['PASS', 'passed'], ['FAIL', 'failed'], ['DECAY', 'decay'], ['WARMUP', 'window filling']];

  // ---------- run list ----------
  function renderRuns() {
    const list = $('runs');
    const items = [...runs.values()].sort((a, b) => (b.order ?? 0) - (a.order ?? 0));
    $('no-runs').hidden = items.length > 0;
    $('run-count').textContent = items.length ? '(' + items.length + ')' : '';
    list.replaceChildren(...items.map((r) => {
      const li = document.createElement('li');
      li.dataset.run = r.runId;
      li.className = r.runId === selected ? 'selected' : '';
      const speed = r.state === 'RUNNING' && r.stepsPerSecond !== null ? ' · ' + fmtNum(r.stepsPerSecond) + ' steps/s' : '';
      li.innerHTML = '<div class="run-line"><span class="run-id"></span><span class="badge"></span></div>'
        + '<div class="run-meta l1"></div><div class="run-meta l2"></div>';
      li.querySelector('.run-id').textContent = r.runId;
      li.querySelector('.run-id').title = r.runId;
      li.querySelector('.badge').textContent = r.state;
      li.querySelector('.badge').classList.add(r.state);
      li.querySelector('.l1').textContent = 'step ' + fmtStep(r.step) + speed;
      li.querySelector('.l2').textContent = 'lr G ' + fmtLr(r.lrGenerator) + ' · C ' + fmtLr(r.lrCritic)
        + (r.lastKid ? ' · KID ' + fmt3(r.lastKid.mean) : '');
      li.addEventListener('click', () => { location.hash = 'run=' + encodeURIComponent(r.runId); });
      return li;
    }));
  }

  let order = 0;
  function putRun(summary) {
    const known = runs.get(summary.runId);
    summary.order = known ? known.order : (summary.order ?? order++);
    runs.set(summary.runId, summary);
  }

  // ---------- the selected run ----------
  function renderHead() {
    const r = runs.get(selected);
    $('run-title').textContent = r ? r.runId : 'No run selected';
    $('run-reason').textContent = r ? [r.reason, r.updatedMillis ? 'last event ' + new Date(r.updatedMillis).toLocaleString('en-GB') : '']
      .filter((t) => t).join(' · ') : '';
    const badge = $('run-state');
    badge.className = 'badge' + (r ? ' ' + r.state : '');
    badge.textContent = r ? r.state : '';
    $('t-step').textContent = r ? fmtStep(r.step) : '–';
    $('t-speed').textContent = r && r.stepsPerSecond !== null ? fmtNum(r.stepsPerSecond) : '–';
    $('t-eta').textContent = r && r.state === 'RUNNING' ? fmtEta(r.etaSeconds) : '';
    $('t-lr').textContent = r ? fmtLr(r.lrGenerator) : '–';
    $('t-lr-sub').textContent = r ? 'critic ' + fmtLr(r.lrCritic) : '';
    const k = r && r.lastKid;
    $('t-kid').textContent = k ? fmt3(k.mean) : '–';
    $('t-kid-sub').textContent = k ? (k.stderr !== null ? '± ' + fmt3(k.stderr) + ' ' : '') + '(step ' + fmtStep(k.step) + ')' : '';
    $('t-evals').textContent = r ? r.evaluations : '–';
    $('t-decays').textContent = r ? r.decays : '–';
  }

  const sorted = (m) => [...m.values()].sort((a, b) => a.step - b.step);

  function decaySteps(kid, decisions) {
    const steps = new Map();
    kid.filter((p) => p.decision === 'DECAY').forEach((p) => steps.set(p.step, null));
    decisions.filter((d) => d.kind === 'DECAY').forEach((d) => steps.set(d.step, d.factor));
    return [...steps.entries()].sort((a, b) => a[0] - b[0]);
  }

  function decayLines(decays) {
    return {
      silent: true, symbol: 'none',
      lineStyle: { color: DECISION_COLORS.DECAY, type: 'dashed', width: 1.5 },
      label: { formatter: (p) => p.name, color: DECISION_COLORS.DECAY, fontWeight: 600, position: 'insideEndTop' },
      data: decays.map(([step, factor]) => ({ xAxis: step, name: factor ? 'DECAY ×' + factor : 'DECAY' })),
    };
  }

  function errorBar(params, api) {
    const x = api.value(0);
    const lo = api.coord([x, api.value(1)]);
    const hi = api.coord([x, api.value(2)]);
    const w = 5, style = { stroke: SERIES_COLORS.kid, lineWidth: 1.5 };
    return {
      type: 'group', children: [
        { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style },
        { type: 'line', shape: { x1: lo[0] - w, y1: lo[1], x2: lo[0] + w, y2: lo[1] }, style },
        { type: 'line', shape: { x1: hi[0] - w, y1: hi[1], x2: hi[0] + w, y2: hi[1] }, style },
      ],
    };
  }

  const base = (title, subtitle) => ({
    animation: false,
    title: { text: title, subtext: subtitle || '', left: 8, top: 4, textStyle: { fontSize: 16, fontWeight: 600 } },
    grid: { left: 72, right: 64, top: 92, bottom: 52 },
    legend: { top: 52, left: 14, itemGap: 14, itemWidth: 18 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'line' } },
    xAxis: { type: 'value', name: 'generator step', nameLocation: 'middle', nameGap: 30, scale: true,
      axisLabel: { formatter: (v) => fmtStep(v) } },
  });

  function renderCharts() {
    const metrics = sorted(detail.metrics), kid = sorted(detail.kid), decisions = sorted(detail.decisions);
    const decays = decaySteps(kid, decisions);
    const network = kid.length ? kid[kid.length - 1].featureNetwork : '';

    const byDecision = (points, value, yAxisIndex) => DECISIONS.map(([kind, label]) => ({
      id: value + '-' + kind, name: label, type: 'scatter', symbolSize: 9, yAxisIndex: yAxisIndex || 0, z: 4, clip: false,
      color: DECISION_COLORS[kind], data: points.filter((p) => p.decision === kind).map((p) => [p.step, p[value]]),
    }));
    charts.kid.setOption(Object.assign(base('KID over generator steps',
      (network ? 'features: ' + network + ' · ' : '') + 'bars: ± standard error · dots: relative test'), {
      grid: { left: 72, right: 24, top: 92, bottom: 52 },
      yAxis: { type: 'value', name: 'KID (MMD², lower is better)', nameLocation: 'middle', nameGap: 56, scale: true,
        axisLabel: { formatter: fmtNum } },
      tooltip: { trigger: 'item', formatter: (p) => {
        const k = detail.kid.get(p.value[0]);
        return k ? 'step ' + fmtStep(k.step) + '<br>KID ' + kidText(k) + '<br>test: ' + k.decision
          + (k.pValue !== null ? ' (p = ' + fmt3(k.pValue) + ')' : '') : '';
      } },
      legend: { top: 52, left: 14, itemGap: 14, itemWidth: 18, data: ['KID'].concat(DECISIONS.map((d) => d[1])) },
      series: [
        { id: 'kid', name: 'KID', type: 'line', data: kid.map((p) => [p.step, p.mean]), showSymbol: false,
          color: SERIES_COLORS.kid, lineStyle: { width: 2 }, z: 3, markLine: decayLines(decays) },
        { id: 'kid-err', name: 'standard error', type: 'custom', renderItem: errorBar, color: SERIES_COLORS.kid,
          data: kid.filter((p) => p.stderr !== null).map((p) => [p.step, p.mean - p.stderr, p.mean + p.stderr]),
          encode: { x: 0, y: [1, 2] }, z: 2, clip: false },
      ].concat(byDecision(kid, 'mean')),
    }), { replaceMerge: ['series'] });
    $('kid-chart').dataset.points = String(kid.length);

    const pValues = kid.filter((p) => p.pValue !== null);
    charts.lr.setOption(Object.assign(base('Learning rates and relative-test p-values', 'dashed red: learning-rate decay'), {
      yAxis: [
        { type: 'log', name: 'learning rate (log)', nameLocation: 'middle', nameGap: 56, axisLabel: { formatter: fmtLr } },
        { type: 'value', name: 'p-value', nameLocation: 'middle', nameGap: 40, min: 0, max: 1, splitLine: { show: false } },
      ],
      series: [
        { id: 'lrG', name: 'lr generator', type: 'line', step: 'end', showSymbol: false, color: SERIES_COLORS.lrG,
          data: metrics.filter((p) => p.lrGenerator > 0).map((p) => [p.step, p.lrGenerator]), lineStyle: { width: 2 },
          markLine: decayLines(decays) },
        { id: 'lrC', name: 'lr critic', type: 'line', step: 'end', showSymbol: false, color: SERIES_COLORS.lrC,
          data: metrics.filter((p) => p.lrCritic > 0).map((p) => [p.step, p.lrCritic]), lineStyle: { width: 2, type: 'dashed' } },
      ].concat(byDecision(pValues, 'pValue', 1).filter((s) => s.data.length > 0)
        .map((s) => Object.assign(s, { name: 'p: ' + s.name }))),
    }), { replaceMerge: ['series'] });
    $('lr-chart').dataset.points = String(metrics.length);

    charts.loss.setOption(Object.assign(base('Training losses', 'scroll to zoom'), {
      grid: { left: 72, right: 24, top: 92, bottom: 52 },
      yAxis: { type: 'value', name: 'loss', nameLocation: 'middle', nameGap: 56, scale: true, axisLabel: { formatter: fmtNum } },
      dataZoom: [{ type: 'inside', xAxisIndex: 0 }],
      series: [
        { id: 'critic', name: 'critic loss', type: 'line', showSymbol: false, color: SERIES_COLORS.critic,
          data: metrics.filter((p) => p.criticLoss !== null).map((p) => [p.step, p.criticLoss]) },
        { id: 'gen', name: 'generator loss', type: 'line', showSymbol: false, color: SERIES_COLORS.gen,
          data: metrics.filter((p) => p.generatorLoss !== null).map((p) => [p.step, p.generatorLoss]) },
        { id: 'mmd2', name: 'MMD² (critic features)', type: 'line', showSymbol: false, color: SERIES_COLORS.mmd2,
          data: metrics.filter((p) => p.mmd2 !== null).map((p) => [p.step, p.mmd2]), lineStyle: { type: 'dotted', width: 2 } },
      ],
    }), { replaceMerge: ['series'] });
    $('loss-chart').dataset.points = String(metrics.length);
  }

  function renderPicture() {
    const r = runs.get(selected);
    const img = $('picture');
    const step = r ? r.pictureStep : null;
    if (step === null || step === undefined) {
      img.hidden = true;
      img.removeAttribute('src');
      $('no-picture').hidden = false;
      $('picture-caption').textContent = '';
      return;
    }
    const src = API + 'runs/' + encodeURIComponent(selected) + '/picture?step=' + step;
    if (img.getAttribute('src') !== src) {
      img.onload = () => { img.hidden = false; $('no-picture').hidden = true; img.dataset.step = String(step); };
      img.onerror = () => { img.hidden = true; $('no-picture').hidden = false; };
      img.setAttribute('src', src);
    }
    const k = detail && detail.kid.get(step);
    $('picture-caption').textContent = 'step ' + fmtStep(step) + (k ? ' · KID ' + kidText(k) + ' · ' + k.decision : '');
  }

  function render() {
    renderQueued = false;
    renderRuns();
    renderHead();
    if (detail) {
      renderCharts();
      renderPicture();
    }
    document.body.dataset.ready = 'true';
  }

  function scheduleRender() {
    if (!renderQueued) {
      renderQueued = true;
      requestAnimationFrame(render);
    }
  }

  // ---------- data ----------
  async function getJson(path) {
    const response = await fetch(API + path, { cache: 'no-store' });
    if (!response.ok) throw new Error(path + ': HTTP ' + response.status);
    return response.json();
  }

  function applyPoint(update) {
    const p = update.point;
    if (!detail || !p) return;
    if (update.type === 'metrics') detail.metrics.set(p.step, p);
    else if (update.type === 'evaluation') detail.kid.set(p.step, p);
    else if (update.type === 'decision') detail.decisions.set(p.step, p);
  }

  async function loadRuns() {
    const body = await getJson('runs');
    body.runs.slice().reverse().forEach(putRun); // oldest first, so the newest gets the highest order
  }

  async function select(runId) {
    selected = runId;
    detail = null;
    pending = [];
    if (!runId) { scheduleRender(); return; }
    try {
      const body = await getJson('runs/' + encodeURIComponent(runId));
      if (selected !== runId) return;
      putRun(body.run);
      const byStep = (list) => new Map(list.map((p) => [p.step, p]));
      detail = { metrics: byStep(body.metrics), kid: byStep(body.kid), decisions: byStep(body.decisions) };
      pending.forEach(applyPoint);
      pending = [];
    } catch (e) {
      console.warn('cannot load run', runId, e);
    }
    scheduleRender();
  }

  function fromHash() {
    const m = /run=([^&]+)/.exec(location.hash);
    return m ? decodeURIComponent(m[1]) : null;
  }

  async function refresh() {
    try {
      await loadRuns();
    } catch (e) {
      console.warn('cannot load the runs', e);
    }
    const wanted = fromHash() || selected || ([...runs.values()].sort((a, b) => b.order - a.order)[0] || {}).runId || null;
    await select(wanted);
  }

  function connect() {
    const status = $('connection');
    const events = new EventSource(API + 'events');
    events.onopen = () => {
      status.textContent = 'live';
      status.className = 'pill pill-live';
      refresh(); // what happened before the stream opened (or while it was down)
    };
    events.onerror = () => {
      status.textContent = 'reconnecting…';
      status.className = 'pill pill-wait';
    };
    events.onmessage = (message) => {
      const update = JSON.parse(message.data);
      const isNew = !runs.has(update.run.runId);
      putRun(update.run);
      if (update.run.runId === selected) {
        if (detail) applyPoint(update); else pending.push(update);
      } else if (isNew && !selected) {
        select(update.run.runId);
      }
      scheduleRender();
    };
  }

  window.addEventListener('hashchange', () => select(fromHash()));
  refresh(); // at once, whether or not the live stream opens
  connect();
})();
