// How numbers and names are written on the page and in KaTeX. Formatting only: every number comes from the server.

const NONFINITE = { nan: "NaN", inf: "∞", "-inf": "−∞" };
const NONFINITE_TEX = { nan: "\\text{NaN}", inf: "\\infty", "-inf": "-\\infty" };

/** Returns a value from the JSON (number, "nan"/"inf"/"-inf", or nested arrays) as text with `digits` significant digits. */
export function formatValue(value, digits) {
  if (Array.isArray(value)) return "[" + value.map((v) => formatValue(v, digits)).join(", ") + "]";
  if (typeof value === "string") return NONFINITE[value] ?? value;
  if (typeof value !== "number") return String(value);
  return String(Number(value.toPrecision(digits))).replace("-", "−");
}

/** Returns a value as TeX, negative numbers in parentheses when `wrap` (for products). */
export function texValue(value, digits, wrap = false) {
  if (Array.isArray(value)) return "\\begin{bmatrix}" + value.map((v) => texValue(v, digits)).join(Array.isArray(value[0]) ? "\\\\" : " & ") + "\\end{bmatrix}";
  if (typeof value === "string") return NONFINITE_TEX[value] ?? texText(value);
  const text = String(Number(value.toPrecision(digits))).replace(/e([+-]\d+)/, "\\times 10^{$1}");
  return wrap && value < 0 ? `(${text})` : text;
}

/** Returns text escaped for TeX's \text{...}. */
export function texText(text) {
  return text.replace(/[\\{}_^#$%&~]/g, (c) => ({ "\\": "\\textbackslash{}", "^": "\\textasciicircum{}", "~": "\\textasciitilde{}" })[c] ?? "\\" + c);
}

/** Returns a node's name in formulas, as the engine names it: L for the output, else its LaTeX, or n_{3} when long. */
export function texName(node, graph) {
  if (node.id === graph.output.id) return "L";
  if (node.name === node.id) return `n_{${node.id.slice(1)}}`;
  return node.op === "var" || node.op === "const" ? node.latex : `\\left(${node.latex}\\right)`;
}
