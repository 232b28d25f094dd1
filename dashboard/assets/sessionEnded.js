// When the session has ended while a page is open (signed out in another tab, ended by an
// administrator, idle or too old), the server answers the page's requests 401 and no data: go to the
// sign-in page, which says "Your session has ended; sign in again", and come back here afterwards.
(function () {
  var originalFetch = window.fetch;
  if (!originalFetch) {
    return;
  }
  var leaving = false;
  window.fetch = function (input) {
    return originalFetch.apply(this, arguments).then(function (response) {
      var url = typeof input === "string" ? input : (input && input.url) || "";
      if (response.status === 401 && !leaving && url.indexOf("/_dash-") !== -1) {
        leaving = true;
        var here = window.location.pathname + window.location.search;
        window.location.assign("/login?ended=1&next=" + encodeURIComponent(here));
      }
      return response;
    });
  };
})();
