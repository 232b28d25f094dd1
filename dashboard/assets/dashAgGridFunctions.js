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

// Tab moves out of the grid rather than from cell to cell or heading to heading (components.GRID_KEYBOARD);
// the arrow keys move inside it.
dagfuncs.leaveGridOnTab = function () {
  return false;
};
