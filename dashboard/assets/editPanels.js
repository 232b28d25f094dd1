// Keyboard ways to a lead's update form (ui/forms.edit_panel, callbacks/edit_panels.py):
// - a link with data-focus-target moves focus to that control (the form's chooser);
// - a grid row the user may edit has an "Update" button, and Enter anywhere on the row opens it too
//   (dashAgGridFunctions.js: enterOnRow);
// - Escape inside an open form presses its Close button.
(function () {
  var components = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});

  components.UpdateButton = function (props) {
    if (!props.data || !props.data.can_edit) {
      return null;
    }
    var name = props.data.title || props.data.description || "";
    return React.createElement(
      "button",
      {
        type: "button",
        className: "btn btn-sm btn-outline-primary py-0 grid-update",
        tabIndex: -1, // the grid's cell takes focus; Enter on it opens the form
        "aria-label": "Update " + name,
        onClick: function () {
          props.setData(props.data.id);
        },
      },
      "Update"
    );
  };

  function focusControl(element) {
    element.scrollIntoView({ block: "center", behavior: "instant" });
    element.focus({ preventScroll: true });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-focus-target]");
    if (!link) {
      return;
    }
    var target = document.getElementById(link.getAttribute("data-focus-target"));
    if (target) {
      event.preventDefault();
      focusControl(target);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !event.target.closest) {
      return;
    }
    var form = event.target.closest("[data-close-button]");
    var button = form && document.getElementById(form.getAttribute("data-close-button"));
    if (button) {
      button.click();
    }
  });

  // The form's first control that takes input, once a row's form is open.
  window.trackerFocusFirstField = function (fieldsId) {
    setTimeout(function () {
      var fields = document.getElementById(fieldsId);
      var first =
        fields &&
        fields.querySelector("input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled])");
      if (first) {
        focusControl(first);
      }
    }, 50);
  };

  // Back to the row whose form was closed (its first cell), or to the chooser when it is not shown.
  window.trackerReturnToRow = function (gridId, rowId, chooserId) {
    setTimeout(function () {
      var api = window.dash_ag_grid && window.dash_ag_grid.getApi && window.dash_ag_grid.getApi(gridId);
      var node = api && rowId !== undefined && rowId !== null ? api.getRowNode(String(rowId)) : null;
      if (node && node.displayed && node.rowIndex !== null) {
        api.deselectAll();
        api.ensureNodeVisible(node);
        var column = api.getAllDisplayedColumns()[0];
        api.setFocusedCell(node.rowIndex, column);
        var cell = document.querySelector(
          "#" + gridId + " .ag-row[row-id='" + String(rowId).replace(/'/g, "") + "'] .ag-cell[col-id='" + column.getColId() + "']"
        );
        if (cell) {
          focusControl(cell);
          return;
        }
      }
      var chooser = document.getElementById(chooserId);
      if (chooser) {
        focusControl(chooser);
      }
    }, 50);
  };
})();
