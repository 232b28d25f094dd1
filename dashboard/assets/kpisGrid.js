// Value formatters for the /kpis grids: numbers as people read them (thousands separators, one decimal).
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

dagfuncs.kpiNumber = function (value) {
  if (value === null || value === undefined || value === "") {
    return "";
  }
  var number = Number(value);
  if (isNaN(number)) {
    return String(value);
  }
  if (Number.isInteger(number)) {
    return number.toLocaleString("en-GB");
  }
  return number.toLocaleString("en-GB", { minimumFractionDigits: 1, maximumFractionDigits: 2 });
};

// The tables folded under the KPI charts are filled when they are opened: html.Details does not report
// being opened or closed, so each folded table's <details> tells its callback through its `open`
// property (the toggle event does not bubble, so it is heard on its way down).
document.addEventListener(
  "toggle",
  function (event) {
    var details = event.target;
    if (
      !details ||
      details.tagName !== "DETAILS" ||
      !details.id ||
      !details.classList.contains("kpi-table-details") ||
      !window.dash_clientside ||
      !window.dash_clientside.set_props
    ) {
      return;
    }
    window.dash_clientside.set_props(details.id, { open: details.open });
  },
  true
);
