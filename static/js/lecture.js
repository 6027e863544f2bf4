// Lecture mode: step through the passes one gate at a time (buttons, keys, autoplay), and the presentation view.
// The server draws each step (/api/view?step=N); this module only says which step is wanted and shows its text.
//
// Keys (never while typing in a text, number or slider field):
//   → PageDown Space  next step (→ and Space start lecture mode at step 0)
//   ← PageUp          previous step          Home / End  first / last step
//   P                 play / pause           F           present (graph full screen) on / off
//   Esc               leave the presentation view, then lecture mode

const PHASES = { inputs: "", forward: "Forward pass", backward: "Backward pass" }; // step 0's text says "Inputs: ..."

/** Returns the step index that `wanted` ("" | "end" | "N") names among `count` steps, or null outside lecture mode. */
export function stepIndex(wanted, count) {
  if (wanted === "" || wanted === null || wanted === undefined || count === 0) return null;
  if (wanted === "end") return count - 1;
  return Math.min(Math.max(0, Number(wanted) || 0), count - 1);
}

/** Returns the lecture action of a key press: "next", "prev", "first", "last", "play", "present", "leave" or null. */
export function keyAction(event) {
  if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return null;
  const target = event.target;
  const typing = target.closest?.("textarea, select, [contenteditable], input:not([type=checkbox]):not([type=button])");
  if (typing || target.closest?.("dialog")) return null;
  const space = event.key === " ";
  // Space and Enter on a link, a checkbox or a button outside the lecture bar do what they always do.
  if ((space || event.key === "Enter") && target.closest?.("a, input, button:not(.lecture button)")) return null;
  switch (event.key) {
    case "ArrowRight": case "PageDown": case " ": return "next";
    case "ArrowLeft": case "PageUp": return "prev";
    case "Home": return "first";
    case "End": return "last";
    case "p": case "P": return "play";
    case "f": case "F": return "present";
    case "Escape": return "leave";
    default: return null;
  }
}

/** Returns the phase line of a step: "Forward pass", or "Backward pass · add distributes". */
export function phaseOf(step) {
  return [PHASES[step.kind] ?? step.kind, step.kind === "backward" ? step.role : null].filter(Boolean).join(" · ");
}

/** Wires the lecture bar in `root`. `go(index | null)` asks for a step (null: the whole graph); `onCallouts(on)`
 * and `onPresent(on)` report the callouts box and the presentation view. Returns {show, setCallouts, present}. */
export function wireLecture(root, { go, onCallouts, onPresent }) {
  const $ = (id) => root.querySelector(`#${id}`);
  const play = $("step-play");
  const present = document.getElementById("present");
  let steps = [];
  let index = null;
  let timer = null;
  let playing = false;

  const last = () => steps.length - 1;
  const move = (to) => go(Math.min(Math.max(0, to), last()));

  function setPlaying(on) {
    playing = on;
    clearTimeout(timer);
    play.textContent = on ? "‖ Pause" : "▷ Play";
    play.setAttribute("aria-pressed", String(on));
    if (on) {
      if (index === null || index >= last()) go(0); // the answer's show() schedules the next tick
      else schedule();
    }
  }

  function schedule() {
    clearTimeout(timer);
    if (!playing) return;
    if (index === null || index >= last()) { setPlaying(false); return; }
    timer = setTimeout(() => move(index + 1), Number($("step-speed").value));
  }

  function setPresenting(on) {
    document.body.classList.toggle("presenting", on);
    present.setAttribute("aria-pressed", String(on));
    present.textContent = on ? "Exit (Esc)" : "Present";
    const url = new URL(location.href);
    url.hash = on ? "present" : "";
    history.replaceState(null, "", url.href.replace(/#$/, ""));
    if (on && document.fullscreenEnabled && !document.fullscreenElement) {
      document.documentElement.requestFullscreen?.().catch(() => {});
    } else if (!on && document.fullscreenElement) {
      document.exitFullscreen?.().catch(() => {});
    }
    onPresent(on);
  }
  const presenting = () => document.body.classList.contains("presenting");

  const actions = {
    next: () => (index === null ? go(0) : move(index + 1)),
    prev: () => index !== null && move(index - 1),
    first: () => index !== null && move(0),
    last: () => index !== null && move(last()),
    play: () => setPlaying(!playing),
    present: () => setPresenting(!presenting()),
    leave: () => {
      if (presenting()) setPresenting(false);
      else if (index !== null) { setPlaying(false); go(null); }
      else return false;
      return true;
    },
  };

  $("lecture-start").addEventListener("click", () => go(0));
  $("lecture-exit").addEventListener("click", () => { setPlaying(false); go(null); });
  $("step-first").addEventListener("click", actions.first);
  $("step-prev").addEventListener("click", () => { setPlaying(false); actions.prev(); });
  $("step-next").addEventListener("click", () => { setPlaying(false); actions.next(); });
  $("step-last").addEventListener("click", () => { setPlaying(false); actions.last(); });
  play.addEventListener("click", actions.play);
  $("step-speed").addEventListener("change", schedule);
  $("callouts").addEventListener("change", (event) => onCallouts(event.target.checked));
  present.addEventListener("click", actions.present);
  document.addEventListener("fullscreenchange", () => {
    if (!document.fullscreenElement && presenting()) setPresenting(false); // Esc left full screen
  });

  document.addEventListener("keydown", (event) => {
    const action = keyAction(event);
    if (!action) return;
    if (action !== "play" && action !== "present" && action !== "leave") setPlaying(false);
    if (actions[action]() === false) return;
    event.preventDefault();
  });
  // A focused lecture button must not also click on the Space that stepped.
  document.addEventListener("keyup", (event) => {
    if (event.key === " " && event.target.closest?.(".lecture button")) event.preventDefault();
  });

  return {
    /** Shows the controls for `graph` at the wanted step ("" | "end" | "N"). */
    show(graph, wanted) {
      steps = graph.steps ?? [];
      index = stepIndex(wanted, steps.length);
      const lecturing = index !== null;
      root.classList.toggle("on", lecturing);
      document.body.classList.toggle("lecturing", lecturing);
      document.body.classList.toggle("lecture-end", lecturing && index === last());
      $("lecture-start").hidden = lecturing;
      $("lecture-steppers").hidden = !lecturing;
      $("lecture-exit").hidden = !lecturing;
      const caption = $("step-caption");
      caption.hidden = !lecturing;
      if (!lecturing) { setPlaying(false); return null; }
      const step = steps[index];
      $("step-counter").textContent = `step ${index} of ${last()}`;
      const phase = $("step-phase");
      phase.textContent = phaseOf(step);
      phase.dataset.kind = step.kind;
      $("step-text").textContent = step.text;
      caption.dataset.kind = step.kind;
      $("step-first").disabled = $("step-prev").disabled = index === 0;
      $("step-next").disabled = $("step-last").disabled = index === last();
      schedule();
      return step;
    },
    setCallouts(on) { $("callouts").checked = on; },
    /** Turns the presentation view on or off (the page opens in it when the address ends in #present). */
    present: setPresenting,
  };
}
