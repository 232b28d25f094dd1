// dcc.Upload renders its own hidden <input type="file"> with no name of its own. Give each one the
// text of the label pointing at its Upload (dbc.Label html_for=<upload id>), so screen readers
// and axe find a labelled control.
(function () {
  function labelUploadInputs(root) {
    var inputs = root.querySelectorAll ? root.querySelectorAll('input[type="file"]:not([aria-label])') : [];
    inputs.forEach(function (input) {
      var upload = input.closest("[id]");
      if (!upload) {
        return;
      }
      var label = document.querySelector('label[for="' + upload.id + '"]');
      if (label) {
        input.setAttribute("aria-label", label.textContent.trim());
      }
    });
  }
  new MutationObserver(function () {
    labelUploadInputs(document);
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
