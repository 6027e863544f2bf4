// The drawing: puts the server's SVG on the page, fits it to its box, and lights up a node's edges. A big drawing
// (more than 100 nodes) fills its box for pan and zoom instead (navigate.js); its boxes open on a click.

import { centreOn, fitBig, isBig, wirePanZoom } from "./navigate.js";

const MAX_SCALE = 1.8;
// On the page, text smaller than this (CSS px) is too small to read: the drawing keeps this size and scrolls instead.
// Presenting or embedded in a slide, the room must see the whole graph, so it is fitted however small.
const PAGE_MIN_TEXT_PX = 10;

/** Replaces the drawing in `box` with `svgText` and fits it; returns the <svg> element. */
export function draw(box, svgText) {
  box.innerHTML = svgText;
  const svg = fit(box);
  if (focusGroup && isBig(svg)) {   // the box just opened (or closed): show it where it is now
    const name = focusGroup;
    const element = svg.getElementById(`open:${name}`) ??
      [...svg.querySelectorAll("g.node.group")].find((node) => node.querySelector("title")?.textContent === name);
    if (element) centreOn(svg, element);
  } else if (isBig(svg) && svg.querySelector("g.node.current")) {   // a lecture step: its gate (or the box it is in)
    centreOn(svg, svg.querySelector("g.node.current"));
  }
  focusGroup = null;
  return svg;
}

let focusGroup = null; // the group a click opened or closed, to centre in the next drawing

/** Returns the smallest font size (SVG units) of the drawing's non-blank text, or null when it has none. */
function smallestFont(svg) {
  const sizes = [...svg.querySelectorAll("text")]
    .filter((text) => text.textContent.trim())
    .map((text) => parseFloat(text.getAttribute("font-size")))
    .filter((size) => size > 0);
  return sizes.length ? Math.min(...sizes) : null;
}

/** Scales the <svg> in `box` to fill it in both dimensions (up to MAX_SCALE). On the page, a graph whose text would
 * shrink under PAGE_MIN_TEXT_PX keeps that size and scrolls, with the lecture's current gate panned into view.
 * Returns the <svg>. */
export function fit(box) {
  const svg = box.querySelector("svg");
  if (!svg) return null;
  // Keyboard users reach every node with Tab; focusing one shows its chain rule, as a click does.
  svg.querySelectorAll("g.node:not([tabindex])").forEach((node) => {
    node.setAttribute("tabindex", "0");
    node.setAttribute("role", "button");
    node.setAttribute("aria-label", node.querySelector("title")?.textContent ?? node.id);
  });
  if (isBig(svg)) {
    fitBig(box, svg);
    return svg;
  }
  box.classList.remove("pannable");
  const [, , width, height] = (svg.getAttribute("viewBox") || "0 0 100 100").split(/[\s,]+/).map(Number);
  const style = getComputedStyle(box);
  const room = (size, start, end) => size - parseFloat(style[start]) - parseFloat(style[end]) - 2;
  const fitted = Math.min(MAX_SCALE, room(box.clientWidth, "paddingLeft", "paddingRight") / width,
                          room(box.clientHeight, "paddingTop", "paddingBottom") / height);
  const font = smallestFont(svg);
  const wholeAlways = document.body.matches(".presenting, .embed") || !font;
  const scale = wholeAlways ? fitted : Math.max(fitted, Math.min(MAX_SCALE, PAGE_MIN_TEXT_PX / font));
  // its smallest text were it drawn whole (nothing yet while the box is not laid out)
  box.dataset.fittedTextPx = font && fitted > 0 && box.clientWidth > 0 ? String(font * fitted) : "";
  svg.setAttribute("width", String(Math.floor(width * scale)));
  svg.setAttribute("height", String(Math.floor(height * scale)));
  box.classList.toggle("scrolls", scale > fitted);
  if (scale > fitted) panToCurrent(box, svg);
  return svg;
}

/** Returns the smallest text of the drawing in `box` were it fitted whole, in CSS px (font size × scale), or null. */
export function wholeTextPx(box) {
  return box.dataset.fittedTextPx ? Number(box.dataset.fittedTextPx) : null;
}

/** Scrolls `box` so that the lecture's current gate and its edges (class "current") are in view. */
function panToCurrent(box, svg) {
  const parts = [...svg.querySelectorAll("g.current")].map((element) => element.getBoundingClientRect());
  if (!parts.length) return;
  const area = box.getBoundingClientRect();
  const left = Math.min(...parts.map((rect) => rect.left)) - area.left;
  const right = Math.max(...parts.map((rect) => rect.right)) - area.left;
  const top = Math.min(...parts.map((rect) => rect.top)) - area.top;
  const bottom = Math.max(...parts.map((rect) => rect.bottom)) - area.top;
  // centre the step in view where it fits; where it is larger than the box, show its start
  const shift = (low, high, size) => (low >= 0 && high <= size ? 0 : high - low <= size ? (low + high - size) / 2 : low);
  box.scrollBy({ left: shift(left, right, box.clientWidth), top: shift(top, bottom, box.clientHeight) });
}

/** Keeps the drawing in `box` fitted whenever the box changes size (window, toolbar wrapping, caption lines). */
export function keepFitted(box) {
  new ResizeObserver(() => fit(box)).observe(box);
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

/** Calls onHover(id|null) and onPick(id) as the pointer moves over and clicks the nodes in `box`, and
 * onGroup(name, open) when a click opens a closed box (class group) or closes an open one (its frame's name).
 * A big drawing pans and zooms (a drag is not a click). */
export function listen(box, { onHover, onPick, onGroup = null }) {
  // a copy of a variable's name beside a far use (id n3-at-n9) stands for the variable itself
  const nodeId = (event) => event.target.closest?.("g.node")?.id.split("-at-")[0] || null;
  box.addEventListener("mouseover", (event) => onHover(nodeId(event)));
  box.addEventListener("mouseleave", () => onHover(null));
  const toggled = (event) => {   // true when the event opened or closed a group
    const group = event.target.closest?.("g.node.group");
    const frame = event.target.closest?.("text") && event.target.closest("g.cluster.open-group");
    if (!onGroup || !(group || frame)) return false;
    focusGroup = group ? group.querySelector("title")?.textContent : frame.id.slice("open:".length);
    onGroup(focusGroup, Boolean(group));
    return true;
  };
  box.addEventListener("click", (event) => toggled(event) || onPick(nodeId(event)));
  box.addEventListener("keydown", (event) => (event.key === "Enter" || event.key === " ") && toggled(event));
  box.addEventListener("focusin", (event) => event.target.closest?.("g.node.group") || onPick(nodeId(event)));
  wirePanZoom(box);   // big drawings only; the page and the embed alike
}
