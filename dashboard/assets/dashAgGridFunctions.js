// Value formatters for dash-ag-grid cells: UK dates and RAG shown in words with a symbol.
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

dagfuncs.ukDate = function (value) {
  if (!value) {
    return "";
  }
  var parts = String(value).slice(0, 10).split("-");
  if (parts.length !== 3) {
    return String(value);
  }
  var months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  return parseInt(parts[2], 10) + " " + months[parseInt(parts[1], 10) - 1] + " " + parts[0];
};

// "2026-11-23T10:41" (UK time, from reports/tables.grid_value) as 23 Nov 2026 10:41.
dagfuncs.ukDateTime = function (value) {
  if (!value) {
    return "";
  }
  var text = String(value);
  var time = text.length > 10 ? text.slice(11, 16) : "";
  return (dagfuncs.ukDate(text) + " " + time).trim();
};

dagfuncs.ragLabel = function (value) {
  var symbols = { Red: "▲ Red", Amber: "● Amber", Green: "✔ Green" };
  return value ? symbols[value] || value : "No RAG";
};

// Sort "23 Nov 2026 10:41"-style cells by the ISO timestamp kept beside them in the row.
dagfuncs.isoCompare = function (valueA, valueB, nodeA, nodeB) {
  var a = (nodeA && nodeA.data && nodeA.data.when_iso) || "";
  var b = (nodeB && nodeB.data && nodeB.data.when_iso) || "";
  return a < b ? -1 : a > b ? 1 : 0;
};

// Tab moves out of the grid rather than from cell to cell or heading to heading (components.GRID_OPTIONS);
// the arrow keys move inside it.
dagfuncs.leaveGridOnTab = function () {
  return false;
};

// On a phone a table shows its key columns (those whose colDef.context.phone is true, or else its first
// three) and unpins the rest; every column is still in the chosen row's details (rowDetails below).
var NARROW_GRID = 576;
dagfuncs.keyColumnsWhenNarrow = function (params) {
  var api = params.api;
  // A table with column groups keeps them whole: a group's heading with every column hidden would be
  // an empty heading row (it scrolls sideways inside its own frame instead).
  var grouped = (api.getColumnDefs() || []).some(function (definition) {
    return definition.children;
  });
  if (grouped) {
    return;
  }
  var width = params.clientWidth || (api.getGridOption && document.body.clientWidth) || window.innerWidth;
  var narrow = width < NARROW_GRID;
  var columns = api.getColumns() || [];
  var flagged = columns.filter(function (column) {
    return (column.getColDef().context || {}).phone;
  });
  var plain = columns.filter(function (column) {
    return column.getColId() !== "update";
  });
  var keys = flagged.length ? flagged : plain.slice(0, 3);
  var hide = [];
  var show = [];
  columns.forEach(function (column) {
    var key = column.getColId() === "update" || keys.indexOf(column) >= 0;
    (narrow && !key ? hide : show).push(column);
  });
  api.setColumnsVisible(hide, false);
  api.setColumnsVisible(show, true);
  var pinned = columns.filter(function (column) {
    return (column.getColDef().pinned || null) === "left" && column.getColId() !== "update";
  });
  api.setColumnsPinned(pinned, narrow ? null : "left");
  if (narrow) {
    // The key columns share the phone's width (wrapped text grows the row instead).
    api.sizeColumnsToFit({
      columnLimits: show.map(function (column) {
        return { key: column.getColId(), minWidth: column.getColId() === "update" ? 88 : 72 };
      }),
    });
  }
};

// A row's every column, as the table formats it, for the details under the table (callbacks/grid_details.py).
dagfuncs.detailsOf = function (api, node) {
  var details = [];
  (api.getColumns() || []).forEach(function (column) {
    if (column.getColId() === "update") {
      return;
    }
    var value = api.getCellValue({ rowNode: node, colKey: column, useFormatter: true });
    var heading = column.getColDef().headerName || column.getColId();
    details.push([String(heading), value === null || value === undefined ? "" : String(value)]);
  });
  return details;
};

dagfuncs.rowDetails = function (params, setEventData) {
  if (params.node && params.data) {
    setEventData({ details: dagfuncs.detailsOf(params.api, params.node) });
  }
};

// Enter on a row: its details, and its update form when the user may edit it (assets/editPanels.js).
dagfuncs.enterOnRow = function (params, setEventData) {
  var key = params.event && params.event.key;
  if (key !== "Enter" || !params.node || !params.data) {
    return;
  }
  var reported = { details: dagfuncs.detailsOf(params.api, params.node) };
  if (params.data.can_edit) {
    reported.id = params.data.id;
  }
  setEventData(reported);
};
