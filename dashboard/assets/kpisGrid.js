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
