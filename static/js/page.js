// The page: keeps the state (expression, values, options), asks the server for each new state, and shows the answer.
// Every number on the page comes from /api/view; nothing here computes a value or a gradient.

import { draw, fit, highlight, keepFitted, listen, wholeTextPx } from "./graph.js";
import { showError } from "./expression.js";
import { fitFormula as fitFormulaIn, showFormula as typesetFormula } from "./formula.js";
import { isBig, wireTools } from "./navigate.js";
import { wireLecture } from "./lecture.js";
import { showChainRule } from "./panel.js";
import { wirePractice } from "./practice.js";
import { wireShare, updateDownloads } from "./share.js";
import { fromQuery, showsPreset, toQuery, useDefaults } from "./state.js";
import { syncValues, UPSTREAM } from "./values.js";

const TYPING_PAUSE_MS = 150;

const initial = JSON.parse(document.getElementById("initial").textContent);
const box = document.getElementById("graph");
const panel = document.getElementById("panel");
const exprField = document.getElementById("expr");
const errorBox = document.getElementById("expr-error");
const valueList = document.getElementById("value-list");
const presets = document.getElementById("presets");
// The themes with large type and high contrast: the projector twin of each.
const PROJECTOR = { light: "projector", dark: "projector-dark" };
const baseTheme = (theme) => Object.keys(PROJECTOR).find((base) => PROJECTOR[base] === theme) ?? theme;

useDefaults(initial.defaults);
let state = fromQuery(initial.query ?? location.search);
let graph = null;
let variables = null;
let hovered = null;
let pinned = null;
let lectureNode = null; // the gate of the current backward step: the panel shows its chain rule

// Practice: the page holds only what the student has reached; every drawing comes from /api/practice (practice.js).
const practicing = state.options.mode === "practice";
let practice = null;
let practiceExercise = null; // the expression and values being practised: changing them starts a new practice

const digits = () => Number(state.options.digits);
const query = () => toQuery(state, variables);

/** Shows a successful answer: values, drawing, panel, and (unless the caller writes it later) the URL. Returns false
 * when the drawing is redrawn with other labels instead (tooSmallWhole). */
function show(answer, writeUrl = true) {
  graph = answer.graph;
  for (const [name, variable] of Object.entries(graph.variables)) {
    if (!state.values.has(name)) state.values.set(name, Array.isArray(variable.value) ? JSON.stringify(variable.value) : String(variable.value));
  }
  variables = syncValues(valueList, graph, state.values, digits(), onValue, state.options.upstream);
  if (practicing) valueList.querySelectorAll("input").forEach((field) => (field.disabled = true)); // New numbers changes them
  document.getElementById("values-empty").hidden = variables.length > 0;
  if (answer.svg) draw(box, answer.svg);
  else fit(box);
  refreshTools();
  box.classList.remove("stale");
  if (tooSmallWhole()) return false;
  const step = lecture.show(graph, state.options.step);
  lectureNode = step && step.kind === "backward" ? step.node : null;
  showFormula(step);
  showError(errorBox, state.expr, null);
  refreshPanel();
  if (writeUrl) remember();
  return true;
}

/** Typesets the expression above the drawing, with its output value unless the lecture `step` has not reached it. */
const formulaBox = document.getElementById("formula");
const showFormula = (step) => typesetFormula(formulaBox, graph, step, digits());
const fitFormula = () => fitFormulaIn(formulaBox);

/** Selects the open worked example in the presets menu, or none once the expression or a value differs. */
function showPreset() {
  const open = [...presets.options].find((option) => option.value && showsPreset(state, variables, option.value));
  presets.value = open ? open.value : "";
}

/** Shows an error answer: the last good graph stays, dimmed. */
function showProblem(problem) {
  box.classList.add("stale");
  showError(errorBox, state.expr, problem);
  remember();
}

/** Writes the state into the address bar (keeping #present) and the share links. */
function remember() {
  history.replaceState(null, "", `?${query()}${location.hash}`);
  updateDownloads(query());
  document.documentElement.dataset.theme = state.options.theme;
  showPreset();
}

function refreshPanel() {
  if (practicing) { panel.hidden = true; return; } // the panel writes every number of the chain rule
  const id = hovered ?? pinned;
  highlight(box, graph, id);
  showChainRule(panel, graph, id ?? lectureNode, digits());
  placePanel();
}

/** Gives the panel the room under the drawing (at least the strip the page keeps for it): it never hides a node. */
function placePanel() {
  if (panel.hidden) return;
  const area = box.getBoundingClientRect();
  const drawing = box.querySelector("svg")?.getBoundingClientRect() ?? area;
  const free = area.bottom - Math.min(Math.max(drawing.bottom, area.top), area.bottom);
  const strip = parseFloat(getComputedStyle(box).paddingBottom);
  panel.style.maxHeight = `${Math.max(free, strip)}px`;
}

// One request in flight at a time; while it runs, only the newest wanted state is kept (a dragged slider
// sends as fast as the server answers, never a queue).
let wanted = null;
let busy = false;
async function update() {
  if (practicing) { updatePractice(); return; }
  wanted = toQuery(state, null);
  if (busy) return;
  busy = true;
  document.body.classList.add("updating");   // a drawing is on its way (tests and screenshots wait for it)
  while (wanted !== null) {
    const asked = wanted;
    wanted = null;
    try {
      const response = await fetch(`/api/view?${asked}`);
      const body = await response.json();
      if (wanted !== null) continue; // already stale: draw the newer state instead
      if (!response.ok) showProblem(body);
      else if (show(body, false)) {
        // the address bar and share links (~7 ms) wait until the drawing is on screen
        await new Promise((resolve) => setTimeout(resolve));
        remember();
      }
    } catch (error) {
      showProblem({ detail: "The server did not answer; is chainrule still running?", offset: null });
    }
  }
  busy = false;
  document.body.classList.remove("updating");
}

/** In practice, new values or a new expression start a new practice (a new page: it holds only step 0); a new view
 * option draws the current step again. /api/view is never asked: it holds every answer. */
function updatePractice() {
  const exercise = toQuery({ ...state, options: {} }, variables);
  if (exercise !== practiceExercise) location.assign(`?${toQuery(state, variables)}${location.hash}`);
  else practice?.redraw(toQuery(state, variables));
}

let pause = null;
function updateSoon() {
  clearTimeout(pause);
  pause = setTimeout(update, TYPING_PAUSE_MS);
}

// A value is drawn at once, typed or dragged: update() keeps one request in flight and only the newest state
// waiting, so no pause is needed (it cost every keystroke TYPING_PAUSE_MS). A new expression still waits for a
// pause in typing: half-typed names would flash errors.
function onValue(name, text) {
  if (name === UPSTREAM) state.options.upstream = text.trim(); // an option of the query, not a variable
  else state.values.set(name, text);
  update();
}

/** A new graph has other steps: lecture mode starts it again from step 0. */
function restartLecture() {
  if (state.options.step !== "") state.options.step = "0";
  // labels switched for the last graph's size: a new graph gets all its labels again if they fit
  if (labelsBeforePresent && !document.body.matches(".presenting")) {
    state.options.labels = labelsBeforePresent;
    labelsBeforePresent = null;
  }
}

exprField.addEventListener("input", () => {
  state.expr = exprField.value;
  presets.value = "";
  restartLecture();
  updateSoon();
});

document.getElementById("granularity").addEventListener("change", (event) => {
  state.options.granularity = event.target.value;
  restartLecture();
  update();
});
/** The theme of the controls: the light/dark choice, in its projector twin when the projector box is checked. */
function chosenTheme() {
  const base = document.querySelector('input[name="theme"]:checked')?.value ?? baseTheme(state.options.theme);
  return document.getElementById("projector").checked ? PROJECTOR[base] ?? base : base;
}
document.getElementById("theme").addEventListener("change", () => {
  state.options.theme = chosenTheme();
  themeBeforePresent = null; // chosen while presenting: keep it after
  update();
});
for (const name of ["labels", "digits", "rankdir"]) {
  document.getElementById(name).addEventListener("change", (event) => {
    state.options[name] = event.target.value;
    if (name === "labels") labelsChosen = true;
    update();
  });
}
document.getElementById("exact").addEventListener("change", (event) => {
  state.options.exact = String(event.target.checked);
  update();
});

/** Sets the option controls to the state. */
function showOptions() {
  document.querySelectorAll('input[name="granularity"]').forEach((radio) => (radio.checked = radio.value === state.options.granularity));
  const base = baseTheme(state.options.theme);
  document.querySelectorAll('input[name="theme"]').forEach((radio) => (radio.checked = radio.value === base));
  document.getElementById("projector").checked = state.options.theme !== base;
  const layout = document.getElementById("rankdir");
  if (![...layout.options].some((option) => option.value === state.options.rankdir)) layout.add(new Option(state.options.rankdir));
  layout.value = state.options.rankdir;
  document.getElementById("labels").value = state.options.labels;
  document.getElementById("digits").value = state.options.digits;
  document.getElementById("exact").checked = state.options.exact === "true";
  lecture.setCallouts(state.options.callouts === "true");
}

presets.addEventListener("change", () => {
  if (!presets.value) return;
  const lecturing = state.options.step !== "";
  state = fromQuery(presets.value);
  if (lecturing) state.options.step = "0";
  exprField.value = state.expr;
  valueList.replaceChildren(); // new sliders, ranged for the preset's values
  variables = null;
  pinned = hovered = null;
  showOptions();
  update();
});

listen(box, {
  onHover: (id) => { hovered = id; refreshPanel(); },
  onPick: (id) => { pinned = id === pinned ? null : id; refreshPanel(); },
  onGroup: (name, open) => { // a big drawing's box: open it, or close its frame
    const names = new Set(state.options.open.split(",").filter(Boolean));
    if (open) names.add(name);
    else names.delete(name);
    state.options.open = [...names].join(",");
    update();
  },
});
const refreshTools = wireTools(document.getElementById("bigtools"), box, () => graph);
keepFitted(box);
window.addEventListener("resize", fitFormula);

const lecture = wireLecture(document.getElementById("lecture"), {
  go: (index) => {
    if (practicing) return; // practice moves the steps itself, as the answers come
    state.options.step = index === null ? "" : String(index);
    pinned = null;
    update();
  },
  onCallouts: (on) => {
    state.options.callouts = String(on);
    update();
  },
  onPresent: (on) => {
    // The projector themes draw larger type; a light or dark page presents in its projector twin, and gets its theme back after.
    const twin = PROJECTOR[state.options.theme];
    const theme = state.options.theme;
    if (on && twin) {
      themeBeforePresent = state.options.theme;
      state.options.theme = twin;
    } else if (!on && themeBeforePresent && state.options.theme.startsWith("projector")) {
      state.options.theme = themeBeforePresent;
    }
    if (!on) themeBeforePresent = null;
    const { labels, groups } = state.options;
    if (!on && labelsBeforePresent) state.options.labels = labelsBeforePresent;
    if (!on && groupsBeforePresent) state.options.groups = groupsBeforePresent;
    if (!on) labelsBeforePresent = groupsBeforePresent = null;
    showOptions();
    if (state.options.theme !== theme || state.options.labels !== labels || state.options.groups !== groups) {
      update(); // a new drawing
    }
    else if (!tooSmallWhole()) remember(); // otherwise the box's new size refits this one
    fitFormula(); // presenting sets it larger
  },
});
let themeBeforePresent = null;
let labelsBeforePresent = null;
let groupsBeforePresent = null;
let labelsChosen = false;          // the person picked the labels: keep them, however small
const MIN_TEXT_PX = { presenting: 12, page: 10 };   // presenting: read from the back row of a lecture hall

/** A graph whose edge labels would shrink its text, drawn whole, under MIN_TEXT_PX: draw it in the lecture's labels
 * (values and gradients on the nodes, the chain rule in the panel and the step's sentence) unless the labels were
 * chosen, and if that is still too small, with its groups closed. Returns true when it asked for a new drawing. */
function tooSmallWhole() {
  if (practicing) return false;   // practice's blanks are the gates themselves
  const px = wholeTextPx(box);
  const least = document.body.matches(".presenting") ? MIN_TEXT_PX.presenting : MIN_TEXT_PX.page;
  if (px === null || px >= least) return false;
  if (!labelsChosen && state.options.labels === "all") {
    labelsBeforePresent = state.options.labels;
    state.options.labels = "lecture";
  } else if (state.options.groups === "auto" && !isBig(box.querySelector("svg"))) {
    // still too small in the lecture's labels (an MLP written out): each neuron and long sum as one box to click open
    groupsBeforePresent = state.options.groups;
    state.options.groups = "all";
  } else return false;
  showOptions();
  update();
  return true;
}

let toastTimer = null;
function toast(message) {
  const element = document.getElementById("toast");
  element.textContent = message;
  element.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (element.hidden = true), 2500);
}
wireShare(() => ({ base: initial.base, query: query(), expr: state.expr, steps: graph?.steps?.length ?? 0 }), toast);

if (practicing) {
  state.options.step = ""; // practice moves the steps itself
  exprField.readOnly = true; // a new expression is a new exercise: explore it, then make its practice link
}
showOptions();
if (initial.graph) show({ graph: initial.graph, svg: null });
else showProblem(initial.error);
if (practicing && initial.graph) {
  document.body.classList.add("practicing");
  practiceExercise = toQuery({ ...state, options: {} }, variables);
  practice = wirePractice(document.getElementById("practice"), {
    query: toQuery(state, variables),
    draw: (answer) => show(answer),
    onProblem: showProblem,
  });
}
if (location.hash === "#present") lecture.present(true);
// A link to #present on this very page (the address bar, a bookmark) presents without a reload.
window.addEventListener("hashchange", () => lecture.present(location.hash === "#present"));
document.body.classList.add("ready");
