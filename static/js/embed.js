// The embed view: the graph alone, fitted to its iframe; hovering a node lights up its edges. Opened with step=N,
// it steps through the lecture: once the frame has focus (a click in it), the arrow keys, Space, PageUp/PageDown
// (a presenter's clicker), Home and End move the step, so a Reveal.js or browser deck can step it in place.

import { draw, fit, highlight, listen } from "./graph.js";
import { keyAction, stepIndex } from "./lecture.js";

const initial = JSON.parse(document.getElementById("initial").textContent);
const box = document.getElementById("graph");
const params = new URLSearchParams(initial.query ?? location.search);
let graph = initial.graph;
let pinned = null;

fit(box);
window.addEventListener("resize", () => fit(box));
listen(box, {
  onHover: (id) => highlight(box, graph, id ?? pinned),
  onPick: (id) => { pinned = id === pinned ? null : id; highlight(box, graph, pinned); },
});

const controls = document.querySelector(".embed-steps");
if (controls) {
  let index = stepIndex(params.get("step"), graph.steps.length);
  let wanted = null;
  let busy = false;

  const showStep = () => {
    const last = graph.steps.length - 1;
    document.getElementById("step-counter").textContent = `${index} / ${last}`;
    document.getElementById("step-caption").textContent = graph.steps[index].text;
    document.getElementById("step-prev").disabled = index === 0;
    document.getElementById("step-next").disabled = index === last;
  };

  // One request at a time; presses while it runs only move the step wanted next.
  async function go(to) {
    wanted = Math.min(Math.max(0, to), graph.steps.length - 1);
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

  const moves = { next: () => go((wanted ?? index) + 1), prev: () => go((wanted ?? index) - 1),
                  first: () => go(0), last: () => go(graph.steps.length - 1) };
  document.addEventListener("keydown", (event) => {
    const action = keyAction(event);
    if (!moves[action]) return;
    event.preventDefault();
    moves[action]();
  });
  document.getElementById("step-prev").addEventListener("click", moves.prev);
  document.getElementById("step-next").addEventListener("click", moves.next);
  showStep();
}
document.body.classList.add("ready");
