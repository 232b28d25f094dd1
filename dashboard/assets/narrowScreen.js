// The milestones page sends the plan as a chart to a wide screen and as a list to a narrow one
// (callbacks/milestones/view.py). A screen turned or resized across 768 px tells the page, which
// sends the one it now shows.
(function () {
  var query = window.matchMedia('(max-width: 767.98px)');
  query.addEventListener('change', function (event) {
    if (window.location.pathname !== '/milestones' || !window.dash_clientside || !window.dash_clientside.set_props) {
      return;
    }
    window.dash_clientside.set_props('ms-narrow', {data: event.matches});
  });
})();
