// The one-file offline document (app/offline.py): the drawing of the whole graph and of every lecture step, the
// graph's JSON and this script are all inline, so nothing is fetched. Hovering or clicking a node shows its chain
// rule, the lecture bar and its keys step through the drawings, and the theme button swaps light and dark (the
// document's CSS paints the same drawing in the twin theme's inks). Editing needs the server: the bar says so.

import { draw, highlight, keepFitted, listen } from "./graph.js";
import { fitFormula, showFormula } from "./formula.js";
import { stepIndex, wireLecture } from "./lecture.js";
import { showChainRule } from "./panel.js";

const data = JSON.parse(document.getElementById("offline").textContent);
const graph = data.graph;
const box = document.getElementById("graph");
const panel = document.getElementById("panel");
const formula = document.getElementById("formula");
let hovered = null;
let pinned = null;
let lectureNode = null; // the gate of the current backward step: the panel shows its chain rule

/** Returns a drawing from its runs of the document's table of lines. */
const drawing = (runs) => runs.map(([start, count]) => data.lines.slice(start, start + count).join("\n")).join("\n");

function refreshPanel() {
  const id = hovered ?? pinned;
  highlight(box, graph, id);
  showChainRule(panel, graph, id ?? lectureNode, data.digits);
}

/** Shows the lecture step `wanted` ("" for the whole graph, or "N"). */
function go(wanted) {
  const index = stepIndex(wanted, data.steps.length);
  draw(box, drawing(index === null ? data.whole : data.steps[index]));
  const step = lecture.show({ steps: data.steps.length ? graph.steps : [] }, wanted);
  lectureNode = step && step.kind === "backward" ? step.node : null;
  pinned = null;
  showFormula(formula, graph, step, data.digits);
  refreshPanel();
}

const lecture = wireLecture(document.getElementById("lecture"), {
  go: (index) => go(index === null ? "" : String(index)),
  onCallouts: () => {}, // drawn as asked: the document holds one set of drawings
  onPresent: () => fitFormula(formula),
});

const themeButton = document.getElementById("theme-toggle");
function showTheme(theme) {
  document.documentElement.dataset.theme = theme;
  themeButton.textContent = theme === data.theme ? `${data.twin} theme` : `${data.theme} theme`;
}
themeButton.addEventListener("click", () =>
  showTheme(document.documentElement.dataset.theme === data.theme ? data.twin : data.theme));

listen(box, {
  onHover: (id) => { hovered = id; refreshPanel(); },
  onPick: (id) => { pinned = id === pinned ? null : id; refreshPanel(); },
});
keepFitted(box);
window.addEventListener("resize", () => fitFormula(formula));
showTheme(data.theme);
go(data.step);
document.body.classList.add("ready");
