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
      'data-markup-block': '',
      dangerouslySetInnerHTML: {__html: typeof props.children === 'string' ? props.children : ''},
    });
  }

  // A link in a block to another page of the tracker opens it as the navbar's links (dcc.Link) do:
  // the address changes and the page is drawn in the browser, rather than the whole app and its
  // libraries loaded again. A click with a modifier key or another button, or on a link to elsewhere
  // or to a place on the same page, is left to the browser.
  document.addEventListener('click', function (event) {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var link = event.target.closest ? event.target.closest('[data-markup-block] a[href]') : null;
    if (!link || (link.target && link.target !== '_self') || link.hasAttribute('download')) return;
    if (link.origin !== window.location.origin) return;
    if (link.pathname === window.location.pathname && link.search === window.location.search) return;
    event.preventDefault();
    window.history.pushState({}, '', link.pathname + link.search + link.hash);
    window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'));
    window.scrollTo(0, 0);
  });

  window.tracker_markup = Object.assign(window.tracker_markup || {}, {MarkupBlock: MarkupBlock});
})();
