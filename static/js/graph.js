// The drawing: puts the server's SVG on the page, fits it to its box, and lights up a node's edges.

const MAX_SCALE = 1.8;
const READABLE_SCALE = 0.85; // below this the edge labels are too small to read: scroll instead of shrinking

/** Replaces the drawing in `box` with `svgText` and fits it; returns the <svg> element. */
export function draw(box, svgText) {
  box.innerHTML = svgText;
  return fit(box);
}

/** Scales the <svg> in `box` to fill it (up to MAX_SCALE); a graph that would shrink below READABLE_SCALE keeps
 * that size and scrolls, except presenting or embedded. Returns the <svg>. */
export function fit(box) {
  const svg = box.querySelector("svg");
  if (!svg) return null;
  // Keyboard users reach every node with Tab; focusing one shows its chain rule, as a click does.
  svg.querySelectorAll("g.node:not([tabindex])").forEach((node) => {
    node.setAttribute("tabindex", "0");
    node.setAttribute("role", "button");
    node.setAttribute("aria-label", node.querySelector("title")?.textContent ?? node.id);
  });
  const [, , width, height] = (svg.getAttribute("viewBox") || "0 0 100 100").split(/[\s,]+/).map(Number);
  const fitted = Math.min(MAX_SCALE, (box.clientWidth - 16) / width, (box.clientHeight - 16) / height);
  // Presenting or embedded in a slide, the room must see the whole graph: fit it however small.
  const scale = document.body.matches(".presenting, .embed") ? fitted : Math.max(fitted, READABLE_SCALE);
  svg.setAttribute("width", Math.round(width * scale));
  svg.setAttribute("height", Math.round(height * scale));
  box.classList.toggle("scrolls", scale > fitted);
  return svg;
}

/** Returns the ids of the edges that enter or leave node `id`. */
export function edgesOf(graph, id) {
  return graph.edges.filter((edge) => edge.source === id || edge.target === id).map((edge) => edge.id);
}

/** Lights up node `id` and its edges in the drawing (null clears). */
export function highlight(box, graph, id) {
  const svg = box.querySelector("svg");
  if (!svg) return;
  svg.querySelectorAll(".lit").forEach((element) => element.classList.remove("lit"));
  svg.classList.toggle("focused", id !== null);
  if (id === null) return;
  for (const elementId of [id, ...edgesOf(graph, id)]) {
    svg.querySelector(`#${CSS.escape(elementId)}`)?.classList.add("lit");
  }
}

/** Calls onHover(id|null) and onPick(id) as the pointer moves over and clicks the nodes in `box`. */
export function listen(box, { onHover, onPick }) {
  const nodeId = (event) => event.target.closest?.("g.node")?.id || null;
  box.addEventListener("mouseover", (event) => onHover(nodeId(event)));
  box.addEventListener("mouseleave", () => onHover(null));
  box.addEventListener("click", (event) => onPick(nodeId(event)));
  box.addEventListener("focusin", (event) => onPick(nodeId(event)));
}
