// The page's state and its URL: the address bar always holds expr, the values, and options that differ from defaults.

export const DEFAULTS = { granularity: "fused", exact: "false", labels: "all", digits: "3", theme: "light", step: "", callouts: "false", share: "false", upstream: "" };
const OPTIONS = ["expr", ...Object.keys(DEFAULTS)];

/** Returns the state held by a query string: {expr, values: Map, options}. */
export function fromQuery(search) {
  const params = new URLSearchParams(search);
  const state = { expr: params.get("expr") ?? "", values: new Map(), options: { ...DEFAULTS } };
  for (const [name, value] of params) {
    if (name in DEFAULTS) state.options[name] = value;
    else if (!OPTIONS.includes(name)) state.values.set(name, value);
  }
  return state;
}

/** Returns the query string of a state; `variables` (names, in order) limits which values it carries. */
export function toQuery(state, variables = null) {
  const params = new URLSearchParams({ expr: state.expr });
  for (const [name, value] of state.values) {
    if (variables === null || variables.includes(name)) params.append(name, value);
  }
  for (const [name, value] of Object.entries(state.options)) {
    if (value !== DEFAULTS[name]) params.append(name, value);
  }
  return params.toString();
}
