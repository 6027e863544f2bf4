// The value editors: a number field and a slider per variable, appearing and disappearing with the variables.

import { formatValue } from "./format.js";

/** Returns a slider range {min, max, step} that holds `number` comfortably. */
function rangeFor(number) {
  const span = Math.max(10, 2 * Math.abs(number));
  const step = 10 ** Math.floor(Math.log10(span / 100));
  return { min: -span, max: span, step };
}

/** Returns the editor row of one variable; onChange(name, text) fires as it is edited. */
function editor(name, text, onChange) {
  const row = document.createElement("div");
  row.className = "variable";
  row.dataset.name = name;
  const label = document.createElement("label");
  label.textContent = name;
  label.htmlFor = `value-${name}`;
  const field = document.createElement("input");
  field.id = `value-${name}`;
  field.className = "number";
  field.value = text;
  field.spellcheck = false;
  field.inputMode = "decimal";
  const grad = document.createElement("output");
  grad.className = "grad";
  row.append(label, field, grad);

  const number = Number(text);
  if (text.trim() !== "" && Number.isFinite(number)) {
    const slider = document.createElement("input");
    slider.type = "range";
    slider.className = "slider";
    slider.setAttribute("aria-label", `${name} slider`);
    Object.assign(slider, rangeFor(number));
    slider.value = number;
    slider.addEventListener("input", () => {
      field.value = slider.value;
      onChange(name, slider.value, "slider");
    });
    field.addEventListener("input", () => {
      const typed = Number(field.value);
      if (field.value.trim() !== "" && Number.isFinite(typed)) {
        if (typed < slider.min || typed > slider.max) Object.assign(slider, rangeFor(typed));
        slider.value = typed;
      }
    });
    row.append(slider);
  }
  field.addEventListener("input", () => onChange(name, field.value, "field"));
  return row;
}

/** Makes `list` show one editor per variable of `graph`, in order, keeping the ones that stay; shows each grad. */
export function syncValues(list, graph, values, digits, onChange) {
  const names = Object.keys(graph.variables);
  for (const row of [...list.children]) {
    if (!names.includes(row.dataset.name)) row.remove();
  }
  names.forEach((name, index) => {
    let row = list.querySelector(`[data-name="${CSS.escape(name)}"]`);
    if (!row) row = editor(name, values.get(name), onChange);
    if (list.children[index] !== row) list.insertBefore(row, list.children[index] ?? null);
    row.querySelector(".grad").textContent = `∂L/∂${name} = ${formatValue(graph.variables[name].grad, digits)}`;
  });
  return names;
}
