// The expression above the drawing, typeset with KaTeX (its TeX as text where KaTeX has not loaded).

import { texValue } from "./format.js";

const FORMULA_LINES = 3; // a longer formula shrinks (to half size at most) rather than push the drawing down
const FORMULA_MAX_CHARS = 2_000; // LaTeX characters: past them the formula shows the output alone

/** Typesets in `element` the expression of `graph`, with its output value unless the lecture `step` has not reached it. */
export function showFormula(element, graph, step, digits) {
  const computed = graph.steps.findIndex((each) => each.kind === "forward" && each.node === graph.output.id);
  const reached = graph.output.value !== null && (!step || step.index >= computed);
  const value = reached ? ` = ${texValue(graph.output.value, digits)}` : "";
  // a big graph's formula is longer than anyone reads, and typesetting it costs a browser ~0.4 s: its output alone
  const long = (graph.formula_latex ?? graph.latex).length > FORMULA_MAX_CHARS;
  const output = graph.nodes.find((node) => node.id === graph.output.id);
  const tex = long ? `${output?.name_latex ?? "L"}${value}` : `${graph.formula_latex ?? `L = ${graph.latex}`}${value}`;
  // display style: a fraction's parts and an exponent at full and ¾ size, not the ½ of inline style (the back row)
  if (window.katex) window.katex.render(`\\displaystyle ${tex}`, element, { throwOnError: false, trust: false, strict: "ignore" });
  else element.textContent = tex;
  fitFormula(element);
}

/** Shrinks the formula in `element` when it would take more than FORMULA_LINES lines, or when a piece of it that
 * cannot wrap (a long fraction) is wider than its line. */
export function fitFormula(element) {
  element.style.fontSize = element.style.maxHeight = "";
  const room = FORMULA_LINES * 1.6 * parseFloat(getComputedStyle(element).fontSize);
  const fits = () => element.scrollWidth <= element.clientWidth + 1 && element.scrollHeight <= room;
  for (let size = 0.9; !fits() && size >= 0.5; size -= 0.1) element.style.fontSize = `${size.toFixed(1)}em`;
  if (!fits()) element.style.maxHeight = `${room}px`; // the rest is in the expression box
}
