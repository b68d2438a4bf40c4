// gauge: the gauge of public opinion on a page (the moderators' dashboard, the executives'
// page): charts of GET /api/v1/events/{slug}/stats (docs/api.md "Stats") — arrivals per
// minute by state, the share of each attribute over time, what people ask most (the largest
// near-duplicate groups), the words that separate rejected from approved questions, the
// languages. uPlot (npm, copied to /vendor/ by scripts/install-deps) draws the time series;
// the ranked lists are bars made of elements. User text is set as text, never as HTML.
//
// Usage: mountGauge(detailsElement, slug). The charts load when the <details> opens. They are
// live: the page calls changed() for each message of its live stream (a frame or a snapshot:
// something happened in the event), and the charts are read again — at most once per
// `minIntervalMs` however busy the event (web/throttle.js), so a flood costs one stats read
// per interval and per open gauge. Besides, every `refreshMs` moves the time axis on a quiet
// event. All of it only while the panel is open and the page visible. After each drawing,
// the element's data-draws counts up and data-cause says what asked for it ("open",
// "stream", "timer", "resize"; tests wait on them).

import { getStats } from './api.js';
import { Throttle } from './throttle.js';
import { h } from './views.js';

// The states' colours of style.css (--STATE-line).
const STATE_COLORS = {
  pending: '#e9a23b', approved: '#3aa566', rejected: '#d9534f',
  auto_rejected: '#c2467a', held: '#7b82e0', answered: '#2a9d8f',
};
const ATTR_COLORS = {
  toxicity: '#c53030', severe_toxicity: '#822727', insult: '#dd6b20',
  profanity: '#b7791f', threat: '#6b46c1', identity_attack: '#2b6cb0',
};
const label = (name) => name.replace(/_/g, ' ');
const MIN_BUCKETS = 15; // a short event still gets a readable time axis

let uplotModule = null;
async function loadUPlot() {
  if (!uplotModule) {
    const css = h('link', { rel: 'stylesheet', href: '/vendor/uplot.min.css' });
    document.head.appendChild(css);
    uplotModule = import('/vendor/uplot.esm.js').then((m) => m.default);
  }
  return uplotModule;
}

function figure(kind, title) {
  return h('figure', { class: `gauge-fig gauge-${kind}`, dataset: { chart: kind } },
    h('figcaption', null, title), h('div', { class: 'gauge-plot' }), h('p', { class: 'gauge-empty muted' }));
}

// A time-series chart that keeps its uPlot between refreshes (same series: setData).
class SeriesChart {
  constructor(box, UPlot) {
    this.box = box;
    this.UPlot = UPlot;
    this.plot = null;
    this.key = '';
  }

  // xs: bucket starts (ms); the x axis shows at least the last MIN_BUCKETS buckets.
  draw(names, colors, xs, columns, yRange, bucketSeconds) {
    const key = names.join(',');
    const data = [xs.map((ms) => ms / 1000), ...columns];
    const last = data[0].length ? data[0][data[0].length - 1] : Date.now() / 1000;
    this.xRange = [Math.min(data[0][0] ?? last, last - MIN_BUCKETS * bucketSeconds), last + bucketSeconds];
    const width = Math.max(240, this.box.clientWidth || 320);
    if (this.plot && this.key === key) {
      this.plot.setData(data);
      if (this.plot.width !== width) this.plot.setSize({ width, height: 170 });
      return;
    }
    if (this.plot) this.plot.destroy();
    this.key = key;
    const opts = {
      width, height: 170,
      scales: { x: { time: true, range: () => this.xRange }, y: yRange ? { range: yRange } : { range: (u, min, max) => [0, Math.max(1, max)] } },
      series: [{}, ...names.map((n) => ({ label: label(n), stroke: colors[n] || '#4a5568', width: 2, spanGaps: false }))],
      axes: [{}, { size: 44 }],
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
    };
    this.plot = new this.UPlot(opts, data, this.box);
  }
}

// Bars made of elements: [{label, value, title}], the longest full width.
function renderBars(box, rows, { format = (v) => String(v) } = {}) {
  const max = Math.max(1, ...rows.map((r) => Math.abs(r.value)));
  const list = h('ol', { class: 'gauge-bars' });
  for (const r of rows) {
    const bar = h('span', { class: `gauge-bar${r.kind ? ` gauge-bar-${r.kind}` : ''}` });
    bar.style.setProperty('--w', `${(100 * Math.abs(r.value)) / max}%`);
    list.appendChild(h('li', { title: r.title || null },
      h('span', { class: 'gauge-bar-label' }, r.label), bar, h('span', { class: 'gauge-bar-n' }, format(r.value))));
  }
  box.replaceChildren(list);
}

function showEmpty(fig, text) {
  fig.querySelector('.gauge-empty').textContent = text || '';
}

export function mountGauge(details, slug, { refreshMs = 60000, minIntervalMs = 3000, bucket = '60s' } = {}) {
  const note = h('p', { class: 'gauge-note muted', role: 'status' });
  const figs = {
    arrivals: figure('arrivals', 'Arrivals per minute, by state'),
    attributes: figure('attributes', 'Share of questions scoring 0.5 or more, per attribute'),
    groups: figure('groups', 'What people ask most (near-duplicates)'),
    words: figure('words', 'Words that separate rejected from approved questions'),
    languages: figure('languages', 'Languages'),
  };
  details.appendChild(h('div', { class: 'gauge-body' }, note, h('div', { class: 'gauge-grid' }, Object.values(figs))));
  details.dataset.draws = '0';
  let charts = null;
  let timer = null;
  let busy = false;
  let queued = null; // the cause of a refresh asked for while one was in flight

  const live = new Throttle(minIntervalMs, () => refresh('stream'));

  async function refresh(cause = 'open') {
    if (!details.open) return;
    if (busy) {
      queued = cause; // read again once this one is drawn: it may predate the change
      return;
    }
    busy = true;
    try {
      const UPlot = await loadUPlot();
      if (!charts) {
        charts = {
          arrivals: new SeriesChart(figs.arrivals.querySelector('.gauge-plot'), UPlot),
          attributes: new SeriesChart(figs.attributes.querySelector('.gauge-plot'), UPlot),
        };
      }
      const s = await getStats(slug, { bucket });
      render(s);
      note.textContent = `${s.total} question${s.total === 1 ? '' : 's'}${s.public_only ? ' (approved and answered)' : ''} · updated ${new Date().toLocaleTimeString()}`;
      details.dataset.cause = cause;
      details.dataset.draws = String(Number(details.dataset.draws) + 1);
    } catch (e) {
      note.textContent = e && e.code
        ? `The gauge could not load: ${e.message} (${e.code})`
        : 'The charts library is missing: run scripts/install-deps.';
    } finally {
      busy = false;
      if (queued) {
        const again = queued;
        queued = null;
        refresh(again);
      }
    }
  }

  function render(s) {
    const a = s.arrivals;
    const states = Object.keys(a).filter((k) => k !== 'start');
    charts.arrivals.draw(states, STATE_COLORS, a.start, states.map((k) => a[k]), null, s.bucket_seconds);
    showEmpty(figs.arrivals, a.start.length ? '' : 'No questions yet.');

    figs.attributes.hidden = !s.attributes;
    if (s.attributes) {
      const names = Object.keys(ATTR_COLORS);
      charts.attributes.draw(names, ATTR_COLORS, s.attributes.start, names.map((n) => s.attributes[n].share), [0, 1], s.bucket_seconds);
    }

    const groups = s.groups.filter((g) => g.question);
    renderBars(figs.groups.querySelector('.gauge-plot'), groups.map((g) => ({
      label: g.question.text, value: g.size, title: `${g.size} asked, ${g.visible} shown`,
    })));
    showEmpty(figs.groups, groups.length ? '' : 'No groups yet.');

    figs.words.hidden = !s.words;
    if (s.words) {
      const rows = [
        ...s.words.rejected.map((w) => ({ kind: 'rejected', label: `✕ ${w.word}`, value: w.z, title: `${w.rejected} rejected, ${w.approved} approved` })),
        ...s.words.approved.map((w) => ({ kind: 'approved', label: `✓ ${w.word}`, value: w.z, title: `${w.rejected} rejected, ${w.approved} approved` })),
      ];
      renderBars(figs.words.querySelector('.gauge-plot'), rows, { format: (z) => `z ${z.toFixed(1)}` });
      showEmpty(figs.words, rows.length ? '' : 'Needs rejected and approved questions with words in common use.');
    }

    renderBars(figs.languages.querySelector('.gauge-plot'), s.languages.map((l) => ({ label: l.lang, value: l.questions })));
    showEmpty(figs.languages, s.languages.length ? '' : 'No questions yet.');
  }

  function schedule() {
    clearInterval(timer);
    timer = null;
    live.cancel();
    if (details.open) {
      refresh('open');
      timer = setInterval(() => document.visibilityState === 'visible' && refresh('timer'), refreshMs);
    }
  }
  details.addEventListener('toggle', schedule);
  window.addEventListener('resize', () => details.open && refresh('resize'));
  schedule();
  return {
    refresh,
    // Something happened in the event (a message of the live stream): redraw, rate-bounded.
    changed() {
      if (details.open && document.visibilityState === 'visible') live.poke();
    },
  };
}
