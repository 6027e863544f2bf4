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

/** Returns a node's name as TeX: L for the output, w_{0} for w0, \text{...} for short expressions, n_{3} otherwise. */
export function texName(node, graph) {
  if (node.id === graph.output.id) return "L";
  if (node.op === "var") {
    const match = /^([A-Za-z])(\d+)$/.exec(node.name);
    if (match) return `${match[1]}_{${match[2]}}`;
    return node.name.length === 1 ? node.name : `\\text{${texText(node.name)}}`;
  }
  const name = node.name ?? node.label;
  if (name && name.length <= 14) return `(\\text{${texText(name)}})`;
  return `n_{${node.id.slice(1)}}`;
}
