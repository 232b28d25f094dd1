/* A chart is laid out again only when its box has changed size.
 *
 * dcc.Graph asks plotly.js to resize a chart whenever a ResizeObserver reports its box, which it does
 * once when the chart mounts and again when a figure of another height arrives. plotly.js then waits
 * 100 ms and lays the chart out again (`relayout({autosize: true})`), even when the box is the size the
 * chart was just drawn at: on every page a chart was marked pending for a tenth of a second after its
 * answer, laid out twice, and reported an `autosize` change nobody made. Here a resize whose box has
 * the size the chart already has stops at once; any other (a window narrowed or turned, a section
 * opened) is plotly.js's own.
 */
(function () {
  'use strict';

  // As plotly.js measures the box when it autosizes (Plots.plotAutoSize): the graph div's computed
  // size, counted as changed when either side differs by more than a pixel.
  function drawnAtThisSize(gd) {
    var full = gd && gd._fullLayout;
    if (!full || !gd.layout || !gd.isConnected) {
      return false;
    }
    var style = window.getComputedStyle(gd);
    var width = parseFloat(style.width);
    var height = parseFloat(style.height);
    return (
      width > 0 && height > 0 && Math.abs(full.width - width) <= 1 && Math.abs(full.height - height) <= 1
    );
  }

  function sizeAware(Plotly) {
    if (!Plotly || !Plotly.Plots || Plotly.Plots.resizeOnlyWhenChanged) {
      return;
    }
    var resize = Plotly.Plots.resize;
    Plotly.Plots.resize = function (gd) {
      var div = typeof gd === 'string' ? document.getElementById(gd) : gd;
      return drawnAtThisSize(div) ? Promise.resolve(div) : resize.apply(this, arguments);
    };
    Plotly.Plots.resizeOnlyWhenChanged = true;
  }

  // plotly.js is loaded when the first chart is drawn, as `window.Plotly`.
  if (window.Plotly) {
    sizeAware(window.Plotly);
    return;
  }
  var loaded;
  Object.defineProperty(window, 'Plotly', {
    configurable: true,
    enumerable: true,
    get: function () {
      return loaded;
    },
    set: function (value) {
      loaded = value;
      sizeAware(value);
    },
  });
})();
