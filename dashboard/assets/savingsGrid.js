// Value formatters for the savings grid: money as the board reads it (£6.0m, £654k, £950, £3,271.9m).
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

// The same rule as dashboard.formatting.format_money.
dagfuncs.ukMoney = function (value) {
  if (value === null || value === undefined || value === "") {
    return "";
  }
  var number = Number(value);
  if (isNaN(number)) {
    return String(value);
  }
  var sign = number < 0 ? "\u2212" : "";
  var size = Math.abs(number);
  if (size >= 999500) {
    var millions = size / 1000000;
    var one = Math.round(millions * 10) / 10;
    var two = Math.round(millions * 100) / 100;
    var digits = one === two ? 1 : 2;
    var shown = millions.toFixed(digits).split(".");
    return sign + "£" + shown[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",") + "." + shown[1] + "m";
  }
  if (size >= 1000) {
    return sign + "£" + Math.round(size / 1000) + "k";
  }
  return sign + "£" + Math.round(size);
};
