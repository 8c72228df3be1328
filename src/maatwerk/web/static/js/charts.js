'use strict';
// Feedback charts: draws each Vega-Lite specification of the page (a JSON data block
// written by Django's json_script, named by the figure's data-vega-spec) as SVG into the
// figure's .vega-chart element. Expressions are evaluated by vega-interpreter, so the
// page's Content-Security-Policy needs no 'unsafe-eval'. The table next to each chart says
// the same in words; without JavaScript the table is what the reader gets.
(function () {
  if (!window.vega || !window.vegaLite || !window.vegaInterpreter) return;

  function draw(figure) {
    const source = document.getElementById(figure.dataset.vegaSpec);
    const target = figure.querySelector('.vega-chart');
    if (!source || !target) return;
    const spec = JSON.parse(source.textContent);
    // As wide as the figure on this screen, less room for the axis labels and title.
    const room = Math.floor(target.clientWidth) - 60;
    if (typeof spec.width === 'number') spec.width = Math.max(160, Math.min(room, 720));
    const compiled = window.vegaLite.compile(spec).spec;
    const runtime = window.vega.parse(compiled, null, {ast: true});
    const view = new window.vega.View(runtime, {
      expr: window.vegaInterpreter.expressionInterpreter,
      renderer: 'svg',
      container: target,
      hover: true,
    });
    view.runAsync().then(function () {
      const svg = target.querySelector('svg');
      if (svg) {
        svg.setAttribute('role', 'img');
        svg.setAttribute('aria-label', figure.dataset.vegaLabel || spec.description || '');
      }
      figure.classList.add('vega-drawn');
    }).catch(function () { target.hidden = true; });
  }

  document.querySelectorAll('[data-vega-spec]').forEach(function (figure) {
    try { draw(figure); } catch (error) { /* the table below says the same */ }
  });
})();
