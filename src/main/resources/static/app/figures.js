// The figures page's charts (issue 11): the data comes from the page's JSON endpoint (data-src), ECharts from its webjar.
// Every label is set as data (ECharts draws text on a canvas), never as markup.
(function () {
  'use strict';
  function draw(root, data) {
    var empty = data.noData;
    root.querySelectorAll('[data-chart]').forEach(function (el) {
      var c = data[el.getAttribute('data-chart')];
      if (!c) { return; }
      var kind = el.getAttribute('data-kind');
      var unit = el.getAttribute('data-unit') || '';
      var hasData = c.values.some(function (v) { return v !== null && v !== 0; });
      var chart = echarts.init(el, null, { renderer: 'canvas' });
      var option = {
        title: { text: c.title, left: 'center', textStyle: { fontSize: 14 } },
        tooltip: { trigger: kind === 'pie' ? 'item' : 'axis', valueFormatter: function (v) { return v === null ? '—' : v + unit; } },
        grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
        color: ['#1f4e79', '#2f855a', '#d69e2e', '#9f7aea', '#d64545', '#319795']
      };
      if (!hasData) {
        option.graphic = { type: 'text', left: 'center', top: 'middle', style: { text: empty, fill: '#616e7c', fontSize: 14 } };
      }
      if (kind === 'funnel') {
        // after the placement: each step's count, the widest first (ECharts sorts a funnel by value)
        option.tooltip = { trigger: 'item', formatter: '{b}: {c}' };
        // the narrowest step stays wide enough for its label on a phone
        option.series = [{ type: 'funnel', top: 40, bottom: 8, left: '5%', width: '90%', min: 0,
          max: Math.max.apply(null, c.values.concat([1])), minSize: '38%', sort: 'none',
          data: hasData ? c.labels.map(function (l, i) { return { name: l, value: c.values[i] }; }) : [],
          label: { position: 'inside', formatter: '{b} {c}', color: '#fff', fontSize: 12 } }];
      } else if (kind === 'pie') {
        option.series = [{ type: 'pie', radius: ['35%', '62%'], top: 30,
          data: hasData ? c.labels.map(function (l, i) { return { name: l, value: c.values[i] }; }) : [],
          label: { formatter: '{b}\n{c}' } }];
      } else if (kind === 'hbar') {
        option.xAxis = { type: 'value', name: 'h' };
        option.yAxis = { type: 'category', data: c.labels, inverse: true, axisLabel: { width: 90, overflow: 'truncate' } };
        option.series = [{ type: 'bar', data: c.values, label: { show: true, position: 'right' } }];
      } else {
        option.xAxis = { type: 'category', data: c.labels, axisLabel: { interval: 'auto', hideOverlap: true } };
        option.yAxis = kind === 'line' ? { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}' + unit } } : { type: 'value', minInterval: 1 };
        option.series = [{ type: kind, data: c.values, connectNulls: false, label: { show: kind === 'bar', position: 'top' } }];
      }
      chart.setOption(option);
      window.addEventListener('resize', function () { chart.resize(); });
    });
  }
  document.addEventListener('DOMContentLoaded', function () {
    var root = document.getElementById('charts');
    if (!root || typeof echarts === 'undefined') { return; }
    fetch(root.getAttribute('data-src'), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { draw(root, data); } });
  });
})();
