// The one component that hands the browser HTML: a block of markup built by dashboard/ui/markup.py
// from escaped values, drawn by the browser's own parser. (dcc.Markdown with raw HTML parsed it in
// JavaScript first: 400 KB of the board pack's tables took seconds.) The Content-Security-Policy
// allows no inline script or event handler, should anything ever slip past the escaping.
(function () {
  var React = window.React;
  function MarkupBlock(props) {
    return React.createElement('div', {
      id: props.id,
      className: props.className,
      dangerouslySetInnerHTML: {__html: typeof props.children === 'string' ? props.children : ''},
    });
  }
  window.tracker_markup = Object.assign(window.tracker_markup || {}, {MarkupBlock: MarkupBlock});
})();
