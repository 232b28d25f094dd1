/* The savings bridge on a phone: each step's name above its bar, the bars and amounts across the
 * whole width.
 *
 * On a wide screen a step's name sits beside its bar (figures/savings.py bridge_chart). On a phone
 * that left the bars about 140 px, and an amount too long for its bar ("Short £450k") was cut at the
 * chart's left edge. Below 576 px wide the page's clientside callback (callbacks/savings/view.py,
 * SHOW_LATER) hands the chart through `trackerBridgeForScreen`, which hides the row labels and writes
 * each name, on the same two lines, just above its bar. A screen turned or resized across that width
 * keeps the layout it was drawn with until the next filter change.
 */
(function () {
  'use strict';

  var NARROW = '(max-width: 575.98px)';
  var ROW_PX = 72; // two lines of name, the bar below them and a gap
  var BAR_SHARE = 0.4; // of a row's height: the rest holds the name above

  window.trackerBridgeForScreen = function (figure) {
    var trace = figure && figure.data && figure.data[0];
    if (!trace || trace.type !== 'waterfall' || !window.matchMedia(NARROW).matches) {
      return figure;
    }
    var layout = figure.layout || {};
    var labels = (layout.yaxis && layout.yaxis.ticktext) || [];
    var names = trace.y.map(function (row, index) {
      return {
        text: labels[index],
        x: 0,
        xref: 'paper',
        xanchor: 'left',
        y: row,
        yref: 'y',
        yanchor: 'bottom',
        // From the middle of the row to just above its bar (pixels up).
        yshift: (ROW_PX * BAR_SHARE) / 2 + 1,
        align: 'left',
        bgcolor: '#ffffff', // over the connector lines between the bars
        showarrow: false,
      };
    });
    var yaxis = Object.assign({}, layout.yaxis, {showticklabels: false, automargin: false});
    var margin = Object.assign({}, layout.margin, {l: 8, r: 8});
    return {
      data: [Object.assign({}, trace, {cliponaxis: false})],
      layout: Object.assign({}, layout, {
        annotations: names,
        yaxis: yaxis,
        margin: margin,
        waterfallgap: 1 - BAR_SHARE,
        height: 60 + ROW_PX * trace.y.length,
      }),
    };
  };
})();
