// The chain-rule panel: for one node, the gradient that arrives (upstream), what each local gradient makes of it
// (downstream), typeset with KaTeX using the numbers of the JSON, plus the gradient check for a variable.
// Arrays: vectors are columns; an array op's Jacobian is described (W^T·, ·x^T), never built, as the engine sends it.

import { formatValue, shapeOf, shapeText, texName, texValue } from "./format.js";

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

const isArray = Array.isArray;

/** Returns how an edge turns its upstream into its downstream, as TeX (without "= downstream"), and a note or null.
 * Numbers: upstream × local, exactly as always. Elementwise on arrays: upstream ⊙ local (the diagonal of the Jacobian).
 * Array ops: the described Jacobian applied to the upstream (W^T· upstream, upstream ·x^T). */
function through(edge, value, source) {
  const up = value(edge.upstream, true);
  if (edge.local !== null && edge.local !== undefined) {
    const arrays = isArray(edge.upstream) || isArray(edge.local);
    const tex = `${up} ${arrays ? "\\odot" : "\\times"} ${value(edge.local, true)}`;
    const summed = arrays && shapeText(shapeOf(edge.downstream)) !== shapeText(shapeOf(edge.upstream)) &&
      shapeText(shapeOf(edge.downstream)) !== shapeText(shapeOf(edge.local));
    return { tex, note: summed ? `Broadcast: the shares are summed back to ${source}'s shape (${shapeText(shapeOf(edge.downstream))}).` : null };
  }
  const jacobian = edge.local_latex ?? edge.local_formula ?? "?";
  if (/\\cdot\s*$/.test(jacobian)) return { tex: `${jacobian} ${up}`, note: null };
  if (/^\s*\\cdot/.test(jacobian)) return { tex: `${up} ${jacobian}`, note: null };
  return { tex: `\\left(${jacobian}\\right) \\text{ applied to } ${up}`, note: null };
}

/** Returns the label of an underbrace: the word, and the shape when it is an array. */
function brace(word, number) {
  return isArray(number) ? `\\text{${word}, ${shapeText(shapeOf(number))}}` : `\\text{${word}}`;
}

/** Fills `panel` with the chain rule at node `id` of `graph`; null empties and hides it. */
export function showChainRule(panel, graph, id, digits) {
  const node = graph && graph.nodes.find((candidate) => candidate.id === id);
  panel.replaceChildren();
  panel.hidden = !node;
  if (!node) return;
  const nodes = new Map(graph.nodes.map((each) => [each.id, each]));
  const name = texName(node, graph);
  const out = graph.output.name_latex ?? "L";   // the output's lecture name: f, or the person's own
  const value = (number, wrap = false) => texValue(number, digits, wrap, true);
  const into = graph.edges.filter((edge) => edge.target === id);
  const outOf = graph.edges.filter((edge) => edge.source === id);

  const head = document.createElement("header");
  // Long subexpressions are called by their id in the formulas (n9), so the heading says which is which.
  const called = [node.name !== node.text ? node.name : null].filter(Boolean);
  head.append(text("h2", "node-name", [...called, node.text ?? node.name].join(" = ")));
  const exact = node.exact ? ` (exactly ${node.exact})` : "";
  const shape = node.shape && node.shape.length ? `shape ${shapeText(node.shape)} · ` : "";
  head.append(text("p", "node-numbers", `${shape}value ${formatValue(node.value, digits)}${exact} · grad ${formatValue(node.grad, digits)}`));
  panel.append(head);

  const arriving = document.createElement("section");
  arriving.append(text("h3", "", "Gradient arriving (upstream)"));
  if (outOf.length === 0 && isArray(graph.upstream)) {
    arriving.append(math(`${partial(out, out)} = ${value(graph.upstream)}`), text("p", "note",
      "The output is an array: the backward pass starts here with this upstream (all ones, the gradient of the " +
      "sum, unless the upstream is set)."));
  } else if (outOf.length === 0) {
    arriving.append(math(`${partial(out, out)} = 1`), text("p", "note", "The output: the backward pass starts here with 1."));
  } else if (outOf.length === 1) {
    const [edge] = outOf;
    const target = texName(nodes.get(edge.target), graph);
    const { tex, note } = through(edge, value, node.name);
    arriving.append(math(`${partial(out, name)} = ${partial(out, target)} \\cdot ${partial(target, name)} = ` +
      `${tex} = ${value(edge.downstream)}`));
    if (note) arriving.append(text("p", "note", note));
  } else {
    const shares = outOf.map((edge) => value(edge.downstream, true)).join(" + ");
    arriving.append(math(`${partial(out, name)} = ${shares} = ${value(node.grad)}`),
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
      const { tex, note } = through(edge, value, source.name);
      gate.append(math(
        `\\underbrace{${partial(out, input)}}_{${brace(`downstream${shared ? " share" : ""}`, edge.downstream)}} = ` +
        `\\underbrace{${partial(out, name)}}_{${brace("upstream", edge.upstream)}} \\cdot \\underbrace{${partial(name, input)}}_{\\text{local}} = ` +
        `${tex} = ${value(edge.downstream)}`));
      const formula = edge.local_latex ?? edge.local_formula;
      if (formula && edge.local === null) {
        gate.append(math(`${partial(name, input)} = ${formula}`),
          text("p", "note", "The Jacobian of an array op is described, never built: it is applied to the upstream."));
      } else if (formula) {
        const diagonal = isArray(edge.local) ? `\\operatorname{diag}\\left(${value(edge.local)}\\right)` : value(edge.local);
        gate.append(math(`${partial(name, input)} = ${formula} = ${diagonal}`));
      }
      if (note) gate.append(text("p", "note", note));
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
    if (check.note) section.append(text("p", "note", check.note));
    panel.append(section);
  }
}
