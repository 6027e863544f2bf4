// The chain-rule panel: for one node, the gradient that arrives (upstream), what each local gradient makes of it
// (downstream), typeset with KaTeX using the numbers of the JSON, plus the gradient check for a variable.

import { formatValue, texName, texValue } from "./format.js";

const OPTIONS = { throwOnError: false, displayMode: true, trust: false, strict: "ignore", maxExpand: 200 };

/** Returns an element holding `tex` typeset (plain text if KaTeX has not loaded). */
function math(tex) {
  const element = document.createElement("div");
  element.className = "math";
  if (window.katex) window.katex.render(tex, element, OPTIONS);
  else element.textContent = tex;
  return element;
}

/** Returns a new element with class and text. */
function text(tag, className, content) {
  const element = document.createElement(tag);
  element.className = className;
  element.textContent = content;
  return element;
}

const partial = (top, bottom) => `\\frac{\\partial ${top}}{\\partial ${bottom}}`;

/** Fills `panel` with the chain rule at node `id` of `graph`; null shows the hint. */
export function showChainRule(panel, graph, id, digits) {
  const node = graph && graph.nodes.find((candidate) => candidate.id === id);
  panel.replaceChildren();
  if (!node) {
    panel.append(text("p", "hint", "Hover or click a node to see the chain rule at it: upstream × local = downstream."));
    return;
  }
  const nodes = new Map(graph.nodes.map((each) => [each.id, each]));
  const name = texName(node, graph);
  const value = (number, wrap = false) => texValue(number, digits, wrap);
  const into = graph.edges.filter((edge) => edge.target === id);
  const outOf = graph.edges.filter((edge) => edge.source === id);

  const head = document.createElement("header");
  // Long subexpressions are called by their id in the formulas (n9), so the heading says which is which.
  const called = [node.id === graph.output.id ? "L" : null, node.name === node.id ? node.id : null].filter(Boolean);
  head.append(text("h2", "node-name", [...called, node.text ?? node.name].join(" = ")));
  const exact = node.exact ? ` (exactly ${node.exact})` : "";
  head.append(text("p", "node-numbers", `value ${formatValue(node.value, digits)}${exact} · grad ${formatValue(node.grad, digits)}`));
  panel.append(head);

  const arriving = document.createElement("section");
  arriving.append(text("h3", "", "Gradient arriving (upstream)"));
  if (outOf.length === 0) {
    arriving.append(math(`${partial("L", "L")} = 1`), text("p", "note", "The output: the backward pass starts here with 1."));
  } else if (outOf.length === 1) {
    const [edge] = outOf;
    const target = texName(nodes.get(edge.target), graph);
    arriving.append(math(`${partial("L", name)} = ${partial("L", target)} \\cdot ${partial(target, name)} = ` +
      `${value(edge.upstream, true)} \\times ${value(edge.local, true)} = ${value(edge.downstream)}`));
  } else {
    const shares = outOf.map((edge) => value(edge.downstream, true)).join(" + ");
    arriving.append(math(`${partial("L", name)} = ${shares} = ${value(node.grad)}`),
      text("p", "note", `Fan-out: used ${outOf.length} times, so the shares that come back add up.`));
  }
  panel.append(arriving);

  if (into.length) {
    const gate = document.createElement("section");
    const role = into[0].role ? ` · ${into[0].role}` : "";
    gate.append(text("h3", "", `Backward through this gate${role}`));
    for (const edge of into) {
      const source = nodes.get(edge.source);
      const input = texName(source, graph);
      const shared = graph.edges.filter((other) => other.source === edge.source).length > 1;
      gate.append(math(
        `\\underbrace{${partial("L", input)}}_{\\text{downstream${shared ? " share" : ""}}} = ` +
        `\\underbrace{${partial("L", name)}}_{\\text{upstream}} \\cdot \\underbrace{${partial(name, input)}}_{\\text{local}} = ` +
        `${value(edge.upstream, true)} \\times ${value(edge.local, true)} = ${value(edge.downstream)}`));
      if (edge.local_latex ?? edge.local_formula) {
        gate.append(math(`${partial(name, input)} = ${edge.local_latex ?? edge.local_formula} = ${value(edge.local)}`));
      }
    }
    panel.append(gate);
  }

  const check = node.op === "var" && graph.gradcheck && graph.gradcheck[node.name];
  if (check) {
    const section = document.createElement("section");
    section.className = "gradcheck";
    section.append(text("h3", "", "Gradient check"));
    section.append(math(`\\underbrace{${value(check.analytic)}}_{\\text{backprop}} \\;\\text{vs}\\; ` +
      `\\underbrace{${value(check.numeric)}}_{\\text{finite difference}}`));
    section.append(text("p", "note", `relative error ${formatValue(check.rel_error, 2)}`));
    panel.append(section);
  }
}
