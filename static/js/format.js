// How numbers and names are written on the page and in KaTeX. Formatting only: every number comes from the server.

const NONFINITE = { nan: "NaN", inf: "∞", "-inf": "−∞" };
const NONFINITE_TEX = { nan: "\\text{NaN}", inf: "\\infty", "-inf": "-\\infty" };

/** Returns a value from the JSON (number, "nan"/"inf"/"-inf", or nested arrays) as text with `digits` significant digits. */
export function formatValue(value, digits) {
  if (Array.isArray(value) && !isSmall(value)) {
    const [low, high] = range(value);
    return `${shapeText(shapeOf(value))}: ${formatValue(low, digits)} … ${formatValue(high, digits)}`;
  }
  if (Array.isArray(value)) return "[" + value.map((v) => formatValue(v, digits)).join(", ") + "]";
  if (typeof value === "string") return NONFINITE[value] ?? value;
  if (typeof value !== "number") return String(value);
  return String(Number(value.toPrecision(digits))).replace("-", "−");
}

/** Returns a value as TeX, negative numbers in parentheses when `wrap` (for products); a small array as a
 * bracketed matrix (a vector as a column when `columns`, else a row), a large one as its shape and range. */
export function texValue(value, digits, wrap = false, columns = false) {
  if (Array.isArray(value) && !isSmall(value)) {
    const [low, high] = range(value);
    return `\\left[\\,${texValue(low, digits)} \\,\\ldots\\, ${texValue(high, digits)}\\,\\right]_{${shapeOf(value).join("\\times ")}}`;
  }
  if (Array.isArray(value)) {
    const matrix = Array.isArray(value[0]);
    const cells = value.map((v) => (matrix ? v.map((each) => texValue(each, digits)).join(" & ") : texValue(v, digits)));
    const column = columns && !matrix;
    const tall = column && value.length > SMALL.columns; // a long column is written as a transposed row
    return `\\begin{bmatrix}${cells.join(matrix || (column && !tall) ? "\\\\" : " & ")}\\end{bmatrix}${tall ? "^{\\top}" : ""}`;
  }
  if (typeof value === "string") return NONFINITE_TEX[value] ?? texText(value);
  const text = String(Number(value.toPrecision(digits))).replace(/e([+-]\d+)/, "\\times 10^{$1}");
  return wrap && value < 0 ? `(${text})` : text;
}

/** Returns the shape of a value from the JSON: [] for a number, [n] for a vector, [rows, columns] for a matrix. */
export function shapeOf(value) {
  if (!Array.isArray(value)) return [];
  return Array.isArray(value[0]) ? [value.length, value[0].length] : [value.length];
}

/** Returns a shape as people write it: "2×3", "4", or "number" for []. */
export function shapeText(shape) {
  return shape.length ? shape.join("×") : "number";
}

/** Arrays up to this many elements (and this many columns) are written out; larger ones are summarised. */
export const SMALL = { elements: 36, columns: 8 };

/** Returns whether an array is small enough to write out element by element. */
export function isSmall(value) {
  const shape = shapeOf(value);
  return shape.reduce((size, n) => size * n, 1) <= SMALL.elements && (shape.length < 2 || shape[1] <= SMALL.columns);
}

/** Returns [smallest, largest] of an array's finite numbers, or the non-finite strings when it has no finite one. */
function range(value) {
  const flat = value.flat();
  const numbers = flat.filter((v) => typeof v === "number");
  if (!numbers.length) return [flat[0], flat[flat.length - 1]];
  return [Math.min(...numbers), Math.max(...numbers)];
}

/** Returns text escaped for TeX's \text{...}. */
export function texText(text) {
  return text.replace(/[\\{}_^#$%&~]/g, (c) => ({ "\\": "\\textbackslash{}", "^": "\\textasciicircum{}", "~": "\\textasciitilde{}" })[c] ?? "\\" + c);
}

/** Returns a node's name in formulas, as the engine names it in the lecture's style (x, q₁ as q_{1}, f). */
export function texName(node) {
  return node.name_latex;
}
