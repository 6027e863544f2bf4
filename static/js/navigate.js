// Big drawings (the server marks them: <g class="graph big">, more than 100 nodes): the drawing fills its box and is
// panned by dragging and zoomed by the wheel or the + and − buttons, and a search box finds a node by name or op and
// centres it. Lecture-size drawings never come here: they keep the page's fit-to-screen (graph.js).

const ZOOM_STEP = 1.25;       // one wheel notch or one button press
const READABLE_TEXT_PX = 14;  // a found node is shown at least this large
const FIRST_TEXT_PX = 10;     // a big drawing is first shown whole only if its smallest text is this large
const MAX_TEXT_PX = 40;       // zooming in stops here
const DRAG_PX = 4;            // a press that moves less than this is a click

const subscripts = { "₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4", "₅": "5", "₆": "6", "₇": "7", "₈": "8", "₉": "9" };
const plain = (text) => text.toLowerCase().replace(/[₀-₉]/g, (digit) => subscripts[digit]);

/** Returns whether the drawing in `box` is a big one. */
export function isBig(svg) {
  return Boolean(svg?.querySelector("g.graph.big"));
}

/** Returns the drawing's whole extent [x, y, width, height] in its own units. */
function whole(svg) {
  if (!svg.dataset.whole) svg.dataset.whole = svg.getAttribute("viewBox") || "0 0 100 100";
  return svg.dataset.whole.split(/[\s,]+/).map(Number);
}

function view(svg) {
  return (svg.getAttribute("viewBox") || "0 0 100 100").split(/[\s,]+/).map(Number);
}

function setView(svg, [x, y, width, height]) {
  svg.setAttribute("viewBox", [x, y, width, height].map((n) => n.toFixed(2)).join(" "));
}

/** Returns the smallest font size of the drawing (its own units). */
function smallestFont(svg) {
  if (!svg.dataset.font) {
    const sizes = [...svg.querySelectorAll("text")].map((text) => parseFloat(text.getAttribute("font-size"))).filter((size) => size > 0);
    svg.dataset.font = String(sizes.length ? Math.min(...sizes) : 10);
  }
  return Number(svg.dataset.font);
}

/** Sizes a big drawing to fill `box`; its first time, shows it whole. Called on every fit (resizes keep the view). */
export function fitBig(box, svg) {
  const style = getComputedStyle(box);
  const width = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const height = box.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  // a new size keeps what is in the middle and its scale (the tools bar appearing, a window resized)
  const [x, y, viewWidth, viewHeight] = view(svg);
  const scale = svg.dataset.placed && svg.clientWidth ? scaleOf(svg) : null;
  svg.setAttribute("width", String(Math.max(1, Math.floor(width))));
  svg.setAttribute("height", String(Math.max(1, Math.floor(height))));
  if (scale) {
    const [newWidth, newHeight] = [svg.clientWidth / scale, svg.clientHeight / scale];
    setView(svg, [x + (viewWidth - newWidth) / 2, y + (viewHeight - newHeight) / 2, newWidth, newHeight]);
  }
  const [, , wholeWidth, wholeHeight] = whole(svg);
  if (!svg.dataset.placed) {
    // first shown whole if its text can be read so; else at a readable size, at its output (the loss: where the
    // backward pass starts), from which a drag goes on
    svg.dataset.placed = "true";
    const fitted = Math.min(svg.clientWidth / wholeWidth, svg.clientHeight / wholeHeight);
    const output = [...svg.querySelectorAll("g.node")].reduce((last, node) => (
      parseInt(node.id.slice(1), 10) > parseInt(last?.id.slice(1) ?? "-1", 10) ? node : last), null);
    if (output && smallestFont(svg) * fitted < FIRST_TEXT_PX) centreOn(svg, output, FIRST_TEXT_PX);
  }
  box.classList.remove("scrolls");
  box.classList.add("pannable");
  box.dataset.fittedTextPx = "";
}

/** Returns CSS px per drawing unit at the current view (the svg keeps its aspect: xMidYMid meet). */
function scaleOf(svg) {
  const [, , width, height] = view(svg);
  return Math.min(svg.clientWidth / width, svg.clientHeight / height);
}

/** Zooms by `factor` (> 1: in) around the point (px, py) of the svg's box (CSS px from its top left). */
export function zoom(svg, factor, px = svg.clientWidth / 2, py = svg.clientHeight / 2) {
  const [x, y, width, height] = view(svg);
  const scale = scaleOf(svg);
  const limit = MAX_TEXT_PX / smallestFont(svg);           // px per unit where the smallest text is MAX_TEXT_PX
  const [, , wholeWidth, wholeHeight] = whole(svg);
  const least = Math.min(svg.clientWidth / wholeWidth, svg.clientHeight / wholeHeight) / 2;
  const next = Math.min(limit, Math.max(least, scale * factor));
  // the point under the pointer stays under it
  const offsetX = (svg.clientWidth - width * scale) / 2;
  const offsetY = (svg.clientHeight - height * scale) / 2;
  const ux = x + (px - offsetX) / scale;
  const uy = y + (py - offsetY) / scale;
  const newWidth = svg.clientWidth / next;
  const newHeight = svg.clientHeight / next;
  setView(svg, [ux - px / next, uy - py / next, newWidth, newHeight]);
}

/** Shows the whole drawing. */
export function showWhole(svg) {
  setView(svg, whole(svg));
}

/** Centres `element` (a node or cluster of the drawing), its smallest text at least `textPx` large. */
export function centreOn(svg, element, textPx = READABLE_TEXT_PX) {
  // its outline, not its text: a browser draws text no smaller than its minimum font size, so on a drawing shown
  // whole the text sticks out of its box
  const box = (element.querySelector("polygon, ellipse, path") ?? element).getBBox();
  const scale = Math.max(scaleOf(svg), textPx / smallestFont(svg));
  const fits = Math.min(svg.clientWidth / (box.width * 1.2), svg.clientHeight / (box.height * 1.2));
  const next = Math.min(scale, fits);   // readable (or as near as it was), but whole
  const width = svg.clientWidth / next;
  const height = svg.clientHeight / next;
  // Graphviz draws inside <g transform="... translate(tx ty)">: getBBox is in that group's units
  const shift = svg.querySelector("g.graph")?.transform.baseVal.consolidate()?.matrix ?? { e: 0, f: 0 };
  const cx = box.x + box.width / 2 + shift.e;
  const cy = box.y + box.height / 2 + shift.f;
  setView(svg, [cx - width / 2, cy - height / 2, width, height]);
}

/** Pans and zooms the big drawing in `box` with the pointer and the wheel; a drag is not a click. Once per box. */
export function wirePanZoom(box) {
  let drag = null;
  let dragged = false;
  const svgOf = () => (isBig(box.querySelector("svg")) ? box.querySelector("svg") : null);
  box.addEventListener("wheel", (event) => {
    const svg = svgOf();
    if (!svg) return;
    event.preventDefault();
    const area = svg.getBoundingClientRect();
    zoom(svg, event.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP, event.clientX - area.left, event.clientY - area.top);
  }, { passive: false });
  box.addEventListener("pointerdown", (event) => {
    const svg = svgOf();
    if (!svg || event.button !== 0) return;
    drag = { x: event.clientX, y: event.clientY, view: view(svg), scale: scaleOf(svg), svg };
    dragged = false;
  });
  box.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!dragged && Math.hypot(dx, dy) < DRAG_PX) return;
    if (!dragged) box.setPointerCapture?.(event.pointerId);
    dragged = true;
    box.classList.add("dragging");
    const [x, y, width, height] = drag.view;
    setView(drag.svg, [x - dx / drag.scale, y - dy / drag.scale, width, height]);
  });
  const end = () => { drag = null; box.classList.remove("dragging"); };
  box.addEventListener("pointerup", end);
  box.addEventListener("pointercancel", end);
  // the click that ends a drag is not a click on a node
  box.addEventListener("click", (event) => {
    if (dragged) { event.stopPropagation(); event.preventDefault(); dragged = false; }
  }, true);
}

/** Returns the drawing's element that shows node `id`: its own, or the closed box it is inside. */
function shownAs(svg, id) {
  return svg.querySelector(`g.node#${CSS.escape(id)}`) ?? svg.querySelector(`g.node.group.has-${CSS.escape(id)}`);
}

/** Wires the tools of big drawings (search box, zoom buttons) in `tools` to the drawing in `box`; `graph()` returns
 * the graph's JSON (its nodes' names and ops). Returns refresh(), to call after each new drawing. */
export function wireTools(tools, box, graph) {
  if (!tools) return () => {};
  const field = tools.querySelector("#find");
  const status = tools.querySelector("#find-status");
  let matches = [];
  let at = 0;
  const svg = () => box.querySelector("svg");

  function show(move = true) {
    const drawing = svg();
    drawing.querySelectorAll(".found").forEach((element) => element.classList.remove("found"));
    if (!matches.length) {
      status.textContent = field.value.trim() ? "no node by that name or op" : "";
      return;
    }
    const { node, element } = matches[at];
    element.classList.add("found");
    if (move) centreOn(drawing, element);
    const where = element.id === node.id ? "" : ` is inside ${element.querySelector("title")?.textContent}: click the box to open it`;
    status.textContent = `${node.name}${where} (${at + 1} of ${matches.length})`;
  }

  function find(move = true) {
    const wanted = plain(field.value.trim());
    const drawing = svg();
    matches = [];
    at = 0;
    if (wanted && drawing && graph()) {
      const seen = new Set();
      const exact = [];
      const rest = [];
      for (const node of graph().nodes) {
        const element = shownAs(drawing, node.id);
        if (!element || seen.has(element.id + node.id)) continue;
        const name = plain(node.name);
        if (name === wanted) exact.push({ node, element });
        else if (name.startsWith(wanted) || plain(node.op) === wanted) rest.push({ node, element });
        seen.add(element.id + node.id);
      }
      matches = [...exact, ...rest];
    }
    show(move);
  }

  field.addEventListener("input", () => find());
  field.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !matches.length) return;
    event.preventDefault();
    at = (at + (event.shiftKey ? matches.length - 1 : 1)) % matches.length;
    show();
  });
  tools.querySelector("#zoom-in").addEventListener("click", () => zoom(svg(), ZOOM_STEP));
  tools.querySelector("#zoom-out").addEventListener("click", () => zoom(svg(), 1 / ZOOM_STEP));
  tools.querySelector("#zoom-whole").addEventListener("click", () => showWhole(svg()));

  return function refresh() {
    const big = isBig(svg());
    tools.hidden = !big;
    if (big && field.value.trim()) find(false);   // marked again in the new drawing, the view left where it is
  };
}
