// Value formatters for the benchmarking page's grids: ASCOF values with their unit, ranks, missing values.
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

dagfuncs.bmNumber = function (value) {
  // Up to two decimals without trailing zeros, as the document prints them (781, 16.3, 0.8).
  var text = Number(value).toLocaleString("en-GB", { maximumFractionDigits: 2 });
  return text === "-0" ? "0" : text;
};

dagfuncs.bmValue = function (value, unit) {
  if (value === null || value === undefined || value === "") {
    return "Missing ('-' in source)";
  }
  var suffix = { percent: "%", rate_per_100k: " per 100,000", days: " days" }[unit] || "";
  return dagfuncs.bmNumber(value) + suffix;
};

dagfuncs.bmRank = function (value, data) {
  if (data && data.kind === "national") {
    return "Not ranked (reference)";
  }
  if (value === null || value === undefined) {
    return "Not ranked (missing)";
  }
  return String(value);
};

dagfuncs.bmRankOf = function (value, of) {
  if (value === null || value === undefined) {
    return "Not ranked (missing)";
  }
  return of ? value + " of " + of : String(value);
};

dagfuncs.bmArea = function (value, data) {
  return data && data.is_city ? "▶ " + value : value;
};
