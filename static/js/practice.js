// Practice mode: the student works out each value and gradient in lecture order; the graph fills in as the answers
// are right. The page never holds a number the student has not reached: each drawing comes from /api/practice at the
// step before the next blank (the server leaves out what that step has not revealed), and each answer is checked by
// /api/check, one request per answer. Only "show me" (after two wrong answers) asks for a number, and counts it.
//
// Keys: Enter checks the focused blank; Tab goes to the next one (only the current step's blanks are enabled).

const WRONG_BEFORE_SHOW = 2;
const NEW_NUMBERS = [-5, -4, -3, -2, -1, 1, 2, 3, 4, 5]; // small integers a student can work with by hand

/** Returns the query without `step`: practice asks for its own steps. */
export function withoutStep(query) {
  const params = new URLSearchParams(query);
  params.delete("step");
  return params.toString();
}

/** Returns a small generator of numbers in [0, 1) from an integer seed (mulberry32): the same seed, the same numbers. */
export function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns fresh values for `names` drawn from `seed`: small non-zero integers. */
export function newNumbers(names, seed) {
  const next = seeded(seed);
  return Object.fromEntries(names.map((name) => [name, String(NEW_NUMBERS[Math.floor(next() * NEW_NUMBERS.length)])]));
}

/** Wires practice into `root` (its list of blanks and score) over the drawing in `box`. `draw(answer)` shows an
 * answer of /api/practice ({graph, svg}). Returns {redraw(query)}: the same practice under new view options. */
export function wirePractice(root, { query, draw, onProblem }) {
  let base = withoutStep(query);
  let blanks = [];
  let graph = null;
  let shownStep = null;
  const tries = new Map();       // blank key -> wrong answers so far
  const outcome = new Map();     // blank key -> "right" | "shown"
  const hinted = new Set();      // the names of the gates whose blanks needed a hint
  const list = root.querySelector("[data-practice-blanks]");
  const score = root.querySelector("[data-practice-score]");
  const keyOf = (blank) => `${blank.id}.${blank.quantity}`;
  const next = () => blanks.find((blank) => !outcome.has(keyOf(blank)));

  async function fetchStep(step) {
    const response = await fetch(`/api/practice?${base}&step=${step}`);
    const body = await response.json();
    if (!response.ok) { onProblem(body); return null; }
    graph = body.graph;
    shownStep = step;
    draw(body);
    return body;
  }

  /** The gate a blank belongs to, in lecture names: the node, or an edge's gate. */
  function gateOf(blank) {
    const id = blank.id.startsWith("e") ? graph.edges.find((edge) => edge.id === blank.id)?.target : blank.id;
    return graph.nodes.find((node) => node.id === id)?.name ?? "";
  }

  function render() {
    list.replaceChildren(...blanks.map((blank, index) => {
      const item = document.createElement("li");
      item.className = "blank";
      item.dataset.step = blank.step;
      const label = document.createElement("label");
      label.htmlFor = `blank-${index}`;
      label.textContent = blank.label;
      const input = document.createElement("input");
      Object.assign(input, { id: `blank-${index}`, type: "text", autocomplete: "off", spellcheck: false,
                             inputMode: "decimal", disabled: true });
      input.dataset.blank = blank.id;
      input.dataset.quantity = blank.quantity;
      input.setAttribute("aria-describedby", `feedback-${index}`);
      input.addEventListener("keydown", (event) => {
        if (event.key === "Enter") { event.preventDefault(); check(blank, input, item); }
      });
      const feedback = document.createElement("p");
      feedback.className = "feedback";
      feedback.id = `feedback-${index}`;
      feedback.setAttribute("aria-live", "polite");
      const show = document.createElement("button");
      Object.assign(show, { type: "button", className: "button quiet show-me", textContent: "Show me", hidden: true });
      show.addEventListener("click", () => reveal(blank, input, item));
      item.append(label, input, show, feedback);
      return item;
    }));
  }

  /** Enables the blanks of the current step (and shows the ones answered), then focuses the first open one. */
  function enable() {
    const current = next();
    for (const item of list.children) {
      const input = item.querySelector("input");
      const done = outcome.has(`${input.dataset.blank}.${input.dataset.quantity}`);
      const now = current && Number(item.dataset.step) === current.step;
      input.disabled = done || !now;
      item.hidden = !now; // the answered ones are in the drawing now
      item.classList.toggle("current", Boolean(now && !done));
    }
    list.querySelector("input:not(:disabled)")?.focus();
    if (!current) finish();
  }

  async function check(blank, input, item) {
    const answer = input.value.trim();
    const feedback = item.querySelector(".feedback");
    if (!answer) { feedback.textContent = "Type a number, e.g. -0.197 or 1/2."; return; }
    const params = new URLSearchParams({ blank: blank.id, quantity: blank.quantity, answer });
    const response = await fetch(`/api/check?${base}&${params}`);
    const body = await response.json();
    if (!response.ok) { feedback.textContent = body.detail; return; } // not a number: no try counted
    if (body.correct) {
      input.setAttribute("aria-invalid", "false");
      feedback.textContent = body.message;
      item.querySelector(".show-me").hidden = true;
      done(blank, "right");
      return;
    }
    const wrong = (tries.get(keyOf(blank)) ?? 0) + 1;
    tries.set(keyOf(blank), wrong);
    hinted.add(gateOf(blank));
    input.setAttribute("aria-invalid", "true");
    feedback.textContent = `${body.message} Hint: ${body.hint}`;
    item.querySelector(".show-me").hidden = wrong < WRONG_BEFORE_SHOW;
  }

  async function reveal(blank, input, item) {
    const params = new URLSearchParams({ blank: blank.id, quantity: blank.quantity, reveal: "true" });
    const response = await fetch(`/api/check?${base}&${params}`);
    const body = await response.json();
    if (!response.ok) { item.querySelector(".feedback").textContent = body.detail; return; }
    input.value = body.answer.replace("-", "−");
    input.removeAttribute("aria-invalid");
    item.classList.add("shown");
    item.querySelector(".feedback").textContent = `Shown: ${body.answer}. ${body.hint}`;
    item.querySelector(".show-me").hidden = true;
    done(blank, "shown");
  }

  /** Marks a blank answered; once its step is complete, the graph fills in up to the next blank's step. */
  async function done(blank, how) {
    outcome.set(keyOf(blank), how);
    const current = next();
    if (current && current.step === blank.step) { enable(); return; }
    await fetchStep(current ? current.step - 1 : lastStep());
    enable();
  }

  const lastStep = () => Math.max(...blanks.map((blank) => blank.step));

  function finish() {
    const first = blanks.filter((blank) => outcome.get(keyOf(blank)) === "right" && !tries.get(keyOf(blank))).length;
    const shown = blanks.filter((blank) => outcome.get(keyOf(blank)) === "shown").length;
    const gates = [...hinted].filter(Boolean);
    score.hidden = false;
    score.textContent = `Right first time: ${first} of ${blanks.length}.` +
      (shown ? ` Shown: ${shown}.` : "") +
      (gates.length ? ` Needed a hint: ${gates.join(", ")}.` : " No hints needed.");
    root.classList.add("finished");
  }

  async function start() {
    const first = await fetchStep(0);
    if (!first) return;
    blanks = first.blanks;
    render();
    const current = next();
    if (current && current.step - 1 !== 0) await fetchStep(current.step - 1);
    enable();
  }

  root.querySelector("[data-new-numbers]")?.addEventListener("click", () => {
    // The values go into the link: a teacher who shares it gives the whole class this same exercise.
    const params = new URLSearchParams(base);
    const seed = Math.floor(Math.random() * 2 ** 31);
    for (const [name, value] of Object.entries(newNumbers(Object.keys(graph?.variables ?? {}), seed))) params.set(name, value);
    location.assign(`?${params}${location.hash}`);
  });

  root.hidden = false;
  start();
  return {
    /** Draws the current step again under new view options (theme, labels, digits, layout); the answers stay. */
    redraw(newQuery) {
      base = withoutStep(newQuery);
      if (shownStep !== null) fetchStep(shownStep);
    },
  };
}
