// The embed view: the graph alone, fitted to its iframe; hovering a node lights up its edges.

import { fit, highlight, listen } from "./graph.js";

const { graph } = JSON.parse(document.getElementById("initial").textContent);
const box = document.getElementById("graph");
let pinned = null;

fit(box);
window.addEventListener("resize", () => fit(box));
listen(box, {
  onHover: (id) => highlight(box, graph, id ?? pinned),
  onPick: (id) => { pinned = id === pinned ? null : id; highlight(box, graph, pinned); },
});
document.body.classList.add("ready");
