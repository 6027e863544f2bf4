// The page's state and its URL: the address bar always holds expr, the values, and options that differ from defaults.

// Every option's default as the URL writes it, shipped by the server (engine/options.py owns them): the page
// writes none of them again. An option at its default stays out of URLs.
export const DEFAULTS = {};

/** Takes the server's option defaults, before any state is read. */
export function useDefaults(serverDefaults) {
  for (const [name, value] of Object.entries(serverDefaults ?? {})) DEFAULTS[name] = String(value ?? "");
}

const isOption = (name) => name === "expr" || name in DEFAULTS;

/** Returns the state held by a query string: {expr, values: Map, options}. */
export function fromQuery(search) {
  const params = new URLSearchParams(search);
  const state = { expr: params.get("expr") ?? "", values: new Map(), options: { ...DEFAULTS } };
  for (const [name, value] of params) {
    if (name in DEFAULTS) state.options[name] = value;
    else if (!isOption(name)) state.values.set(name, value);
  }
  return state;
}

// Characters a query value may hold as they are, so that a link reads like the expression: (x+%2B+y)*z, x=[1,2].
// Still escaped: % & # + ; = (the query's own syntax; + is a space), space (as +), quotes, < > and \ .
const READABLE = /%(28|29|2A|2F|2C|3A|40|21|24|5B|5D|5E|7C|7B|7D|3F|7E)/g;

/** Returns `text` escaped for a query string, leaving the characters of READABLE as they are. */
function escapeReadably(text) {
  return encodeURIComponent(text).replace(/%20/g, "+").replace(READABLE, (escaped) => decodeURIComponent(escaped));
}

/** Returns the query string of a state; `variables` (names, in order) limits which values it carries. */
export function toQuery(state, variables = null) {
  const pairs = [["expr", state.expr]];
  for (const [name, value] of state.values) {
    if (variables === null || variables.includes(name)) pairs.push([name, value]);
  }
  for (const [name, value] of Object.entries(state.options)) {
    if (value !== DEFAULTS[name]) pairs.push([name, value]);
  }
  return pairs.map(([name, value]) => `${escapeReadably(name)}=${escapeReadably(value)}`).join("&");
}

/** Returns whether `state` shows the worked example of `presetQuery`: its expression, its values (of `variables`),
 * and the options it sets; how it is shown (theme, step, layout) may differ. */
export function showsPreset(state, variables, presetQuery) {
  const preset = fromQuery(presetQuery);
  const values = [...state.values].filter(([name]) => variables === null || variables.includes(name));
  return preset.expr === state.expr && values.length === preset.values.size &&
    values.every(([name, value]) => preset.values.get(name) === value) &&
    Object.entries(preset.options).every(([name, value]) => value === DEFAULTS[name] || state.options[name] === value);
}
