// dcc.Markdown fetches highlight.js (async-highlight.js, 141 kB) when its first block is drawn, to
// colour code blocks, unless window.hljs is already there. The product's Markdown blocks are HTML
// built by dashboard/ui/markup.py (tables and lists of values) and never hold a code block, so a
// highlighter that does nothing saves that late download on every page that draws a block.
window.hljs = window.hljs || {
  highlightElement: function () {},
};
