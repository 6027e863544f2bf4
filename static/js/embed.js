// The embed view: the graph alone, fitted to its iframe; hovering a node lights up its edges. Opened with step=N,
// it steps through the lecture: once the frame has focus (a click in it), the arrow keys, Space, PageUp/PageDown
// (a presenter's clicker), Home and End move the step, so a Reveal.js or browser deck can step it in place.
//
// The frame never traps the presenter: past the last step (or before the first), and on Esc, it hands the keyboard
// back to the page around it (the frame loses focus) and asks a Reveal.js deck to move on, through Reveal's
// postMessage API (a JSON string {"method": "next"} or "prev"; other pages ignore it). A step-less embed hands
// every navigation key back at once.

import { fit, draw, highlight, keepFitted, listen } from "./graph.js";
import { keyAction, stepIndex } from "./lecture.js";
import { wirePractice } from "./practice.js";

const initial = JSON.parse(document.getElementById("initial").textContent);
const box = document.getElementById("graph");
const params = new URLSearchParams(initial.query ?? location.search);
let graph = initial.graph;
let pinned = null;

fit(box);
keepFitted(box);
listen(box, {
  onHover: (id) => highlight(box, graph, id ?? pinned),
  onPick: (id) => { pinned = id === pinned ? null : id; highlight(box, graph, pinned); },
});

/** Gives the keyboard back to the page around the frame; `method` ("next" | "prev" | null) moves a Reveal.js deck. */
function handBack(method) {
  if (window.parent === window) return; // opened on its own: nothing to hand back to
  document.activeElement?.blur?.();
  if (method) window.parent.postMessage(JSON.stringify({ method, args: [] }), "*");
  window.parent.focus();
}

const controls = document.querySelector(".embed-steps");
let moves = { next: () => handBack("next"), prev: () => handBack("prev") };
if (controls) {
  let index = stepIndex(params.get("step"), graph.steps.length);
  let wanted = null;
  let busy = false;
  const last = () => graph.steps.length - 1;

  const showStep = () => {
    document.getElementById("step-counter").textContent = `${index} / ${last()}`;
    document.getElementById("step-caption").textContent = graph.steps[index].text;
    document.getElementById("step-prev").disabled = index === 0;
    document.getElementById("step-next").disabled = index === last();
  };

  // One request at a time; presses while it runs only move the step wanted next.
  async function go(to) {
    wanted = Math.min(Math.max(0, to), last());
    if (busy || wanted === index) return;
    busy = true;
    while (wanted !== null && wanted !== index) {
      const asked = wanted;
      params.set("step", String(asked));
      const response = await fetch(`/api/view?${params}`);
      if (!response.ok) break;
      const answer = await response.json();
      graph = answer.graph;
      index = asked;
      pinned = null;
      draw(box, answer.svg);
      showStep();
      history.replaceState(null, "", `?${params}`);
    }
    busy = false;
  }

  const target = () => wanted ?? index;
  moves = {
    next: () => (target() >= last() ? handBack("next") : go(target() + 1)),
    prev: () => (target() <= 0 ? handBack("prev") : go(target() - 1)),
    first: () => go(0), last: () => go(last()),
  };
  document.getElementById("step-prev").addEventListener("click", () => go(target() - 1));
  document.getElementById("step-next").addEventListener("click", () => go(target() + 1));
  showStep();
}
moves.leave = () => handBack(null);

// Practice in a frame: the same blanks as the page, drawn from /api/practice (never /api/view, which holds the answers).
if (params.get("mode") === "practice") {
  wirePractice(document.getElementById("practice"), {
    query: params.toString(),
    draw: (answer) => { graph = answer.graph; pinned = null; draw(box, answer.svg); },
    onProblem: (problem) => { document.querySelector("[data-practice-score]").textContent = problem.detail; },
  });
}

document.addEventListener("keydown", (event) => {
  const action = keyAction(event);
  if (!moves[action]) return;
  event.preventDefault();
  moves[action]();
});
document.body.classList.add("ready");
