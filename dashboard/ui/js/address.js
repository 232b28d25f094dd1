// The page's address (dashboard/ui/address.py): a page's view callback writes its filters to it as a
// query string, and it puts that in the address bar and the browser's history, as dcc.Location does,
// with one difference. The page's first write only settles the address it was opened with (an
// `?edit=` link's id taken out once the form is open, a value the page ignored dropped): it replaces
// the address rather than adding a step to history, so one press of Back leaves the page (with
// dcc.Location it took two, the first landing on the same form again). A write after the reader has
// pressed, clicked or typed anything on the page is a choice, and adds a step as before.
(function () {
  var React = window.React;
  var READER = ['pointerdown', 'keydown', 'input', 'change', 'touchstart'];

  function Address(props) {
    var chose = React.useRef(false);
    var setProps = props.setProps;
    React.useEffect(function () {
      var mark = function () {
        chose.current = true;
      };
      READER.forEach(function (type) {
        document.addEventListener(type, mark, true);
      });
      if (setProps) {
        setProps({pathname: window.location.pathname, search: window.location.search, hash: window.location.hash});
      }
      return function () {
        READER.forEach(function (type) {
          document.removeEventListener(type, mark, true);
        });
      };
    }, []);
    React.useEffect(
      function () {
        var search = props.search;
        if (typeof search !== 'string' || search === window.location.search) return;
        var url = window.location.pathname + search + window.location.hash;
        if (chose.current) {
          window.history.pushState({}, '', url);
        } else {
          window.history.replaceState(window.history.state, '', url);
        }
      },
      [props.search]
    );
    return null;
  }

  window.tracker_address = Object.assign(window.tracker_address || {}, {Address: Address});
})();
