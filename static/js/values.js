// The value editors, appearing and disappearing with the variables: a number field and a slider per number variable;
// for a vector or matrix, its JSON text and a grid of cells (one per element; a vector is a row). Typing [1,2,3] in
// the text field turns a number into an array, and 2 turns it back. An array output also gets an upstream editor.

import { formatValue, SMALL } from "./format.js";

/** The upstream row's name: not a variable (upstream is an option of the query, never a variable's name). */
export const UPSTREAM = "upstream";

/** Returns a slider range {min, max, step} that holds `number` comfortably. */
function rangeFor(number) {
  const span = Math.max(10, 2 * Math.abs(number));
  const step = 10 ** Math.floor(Math.log10(span / 100));
  return { min: -span, max: span, step };
}

/** Returns the number a text holds, or null (blank, or not a finite number). */
function numberIn(text) {
  const number = Number(text);
  return text.trim() !== "" && Number.isFinite(number) ? number : null;
}

/** Returns {rows, matrix} for the JSON array text of a vector or matrix of numbers, or null for anything else. */
export function arrayIn(text) {
  if (!text.trim().startsWith("[")) return null;
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(data) || data.length === 0) return null;
  const matrix = Array.isArray(data[0]);
  const rows = matrix ? data : [data];
  const width = rows[0].length;
  const numbers = (row) => Array.isArray(row) && row.length === width && row.every((x) => typeof x === "number");
  return width > 0 && rows.every(numbers) ? { rows, matrix } : null;
}

/** Returns which control a text gets: "slider", "grid 2x3" / "grid v4" (by shape), or "none" (large or invalid). */
function kindOf(text) {
  if (numberIn(text) !== null) return "slider";
  const array = arrayIn(text);
  if (!array) return "none";
  const { rows, matrix } = array;
  if (rows.length * rows[0].length > SMALL.elements) return "none";
  return matrix ? `grid ${rows.length}x${rows[0].length}` : `grid v${rows[0].length}`;
}

/** Returns a slider for a number field; `emit(text, source)` reports a move. */
function slider(name, field, emit) {
  const element = document.createElement("input");
  element.type = "range";
  element.className = "slider";
  element.setAttribute("aria-label", `${name} slider`);
  element.addEventListener("input", () => {
    field.value = element.value;
    emit(element.value, "slider");
  });
  element.show = (text) => {
    const number = numberIn(text);
    if (number === null) return;
    if (element.min === "" || number < Number(element.min) || number > Number(element.max)) Object.assign(element, rangeFor(number));
    element.value = number;
  };
  return element;
}

/** Returns a grid of number cells for an array text; `emit(text, source)` reports an edit once every cell is a number. */
function grid(name, field, text, emit) {
  const { rows, matrix } = arrayIn(text);
  const element = document.createElement("div");
  element.className = `cells ${matrix ? "matrix" : "vector"}`;
  element.setAttribute("role", "group");
  element.setAttribute("aria-label", `${name}: ${matrix ? `${rows.length}×${rows[0].length} matrix` : `vector of ${rows[0].length}`}`);
  element.style.setProperty("--columns", rows[0].length);
  const cells = rows.map((row, i) => row.map((number, j) => {
    const cell = document.createElement("input");
    cell.className = "cell";
    cell.inputMode = "decimal";
    cell.spellcheck = false;
    cell.setAttribute("aria-label", matrix ? `${name}[${i}][${j}]` : `${name}[${j}]`);
    cell.addEventListener("input", () => {
      const numbers = cells.map((line) => line.map((each) => numberIn(each.value)));
      cell.setAttribute("aria-invalid", String(numberIn(cell.value) === null));
      if (numbers.flat().includes(null)) return; // wait until every cell holds a number
      const written = JSON.stringify(matrix ? numbers : numbers[0]);
      field.value = written;
      emit(written, "cell");
    });
    element.append(cell);
    return cell;
  }));
  element.show = (shown) => {
    const { rows: values } = arrayIn(shown);
    values.forEach((line, i) => line.forEach((number, j) => {
      const cell = cells[i][j];
      if (cell !== document.activeElement && numberIn(cell.value) !== number) cell.value = String(number);
      cell.removeAttribute("aria-invalid");
    }));
  };
  element.show(text);
  return element;
}

/** Returns the editor row of one variable (or of the upstream); onChange(name, text, source) fires as it is edited. */
function editor(name, text, onChange, label = name) {
  const row = document.createElement("div");
  row.className = "variable";
  row.dataset.name = name;
  const title = document.createElement("label");
  title.textContent = label;
  title.htmlFor = `value-${name}`;
  const field = document.createElement("input");
  field.id = `value-${name}`;
  field.className = "number";
  field.spellcheck = false;
  field.autocomplete = "off";
  const grad = document.createElement("output");
  grad.className = "grad";
  row.append(title, field, grad);

  let kind = null;
  let control = null;
  const emit = (written, source) => onChange(name, written, source);
  /** Shows `shown` in the field's companion control, rebuilding it when the text changes kind or shape. */
  const fit = (shown) => {
    const wanted = kindOf(shown);
    if (wanted !== kind) {
      control?.remove();
      control = wanted === "slider" ? slider(name, field, emit) : wanted.startsWith("grid") ? grid(name, field, shown, emit) : null;
      if (control) row.insertBefore(control, wanted === "slider" ? null : grad); // cells above their grad
      kind = wanted;
      field.inputMode = wanted === "slider" ? "decimal" : "text";
      row.classList.toggle("array", shown.trim().startsWith("["));
    }
    control?.show(shown);
  };
  field.value = text;
  fit(text);
  field.addEventListener("input", () => {
    fit(field.value);
    onChange(name, field.value, "field");
  });
  row.fit = fit;
  return row;
}

/** Makes `list` show one editor per variable of `graph`, in order, keeping the ones that stay; shows each grad.
 * `upstream` (the query's upstream text, "" for the default) adds an upstream editor when the output is an array. */
export function syncValues(list, graph, values, digits, onChange, upstream = "") {
  // In the order the expression names them (the drawing's variable nodes), whatever order the JSON's keys arrive in.
  const named = graph.nodes.filter((node) => node.op === "var" && node.name in graph.variables).map((node) => node.name);
  const names = [...new Set([...named, ...Object.keys(graph.variables)])];
  const seeded = Array.isArray(graph.output.value) || upstream !== "";
  const rows = seeded ? [...names, UPSTREAM] : names;
  for (const row of [...list.children]) {
    if (!rows.includes(row.dataset.name)) row.remove();
  }
  rows.forEach((name, index) => {
    let row = list.querySelector(`[data-name="${CSS.escape(name)}"]`);
    if (name === UPSTREAM) {
      const shown = upstream || JSON.stringify(graph.upstream ?? 1);
      if (!row) row = editor(name, shown, onChange, "upstream");
      const field = row.querySelector(".number");
      if (!upstream && field !== document.activeElement && !row.contains(document.activeElement)) {
        field.value = shown; // the default follows the output's shape
        row.fit(shown);
      }
      row.querySelector(".grad").textContent = upstream ? `∂${graph.output.name ?? "L"}/∂${graph.output.name ?? "L"}: starts the backward pass` :
        `∂${graph.output.name ?? "L"}/∂${graph.output.name ?? "L"}: ones by default (the gradient of the sum)`;
    } else {
      if (!row) row = editor(name, values.get(name), onChange);
      const grad = graph.variables[name].grad; // null in practice until the student has worked it out
      row.querySelector(".grad").textContent = `∂${graph.output.name ?? "L"}/∂${name} = ${grad === null ? "?" : formatValue(grad, digits)}`;
    }
    if (list.children[index] !== row) list.insertBefore(row, list.children[index] ?? null);
  });
  return names;
}
