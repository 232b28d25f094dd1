// Value formatters for the /actions page's grids (added beside ukDate and ragLabel).
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

dagfuncs.percentLabel = function (value) {
  return value === null || value === undefined || value === "" ? "" : String(value) + "%";
};
